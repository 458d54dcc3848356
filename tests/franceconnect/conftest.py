"""The local FranceConnect (devtools/franceconnect_provider.py) on a free port, and the portal
pointed at it with « FranceConnect activé » on."""

import copy
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from devtools import franceconnect_provider

CLIENT_ID = "portail-test"


@pytest.fixture(scope="session")
def fc_server():
    with franceconnect_provider.run_in_thread() as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="session")
def fc_expired_server():
    """A provider whose ID tokens are already expired when issued."""
    with franceconnect_provider.run_in_thread(token_max_age=-120) as server:
        yield f"http://127.0.0.1:{server.server_port}"


def point_portal_at(settings, url):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "franceconnect": {
            "APPS": [
                {
                    "client_id": CLIENT_ID,
                    "secret": "test-secret-long-enough-for-an-hmac-key-0123",
                    "settings": {"server_url": url, "token_auth_method": "client_secret_post"},
                }
            ]
        }
    }
    csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    csp["DIRECTIVES"]["form-action"].append(url)
    settings.CONTENT_SECURITY_POLICY = csp


@pytest.fixture
def franceconnect(db, settings, fc_server):
    """The portal with FranceConnect on, at the local provider; yields the provider's URL."""
    from portail.core.models import TownSettings

    point_portal_at(settings, fc_server)
    town = TownSettings.current()
    town.franceconnect_enabled = True
    town.save()
    return fc_server


# --- the flow without a browser: Django's test client for the portal, requests for the provider


def start(client, process=None):
    """« S'identifier avec FranceConnect »: the provider's authorization URL."""
    response = client.post("/compte/franceconnect/login/", {"process": process} if process else {})
    assert response.status_code == 302, response
    return response["Location"]


def authorize(authorize_url, sub="fc-angela-dubois", deny=False):
    """The person's choice on the provider's page: the callback URL it sends the browser to."""
    data = {"action": "deny"} if deny else {"sub": sub}
    response = requests.post(authorize_url, data=data, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def callback_path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
