"""What the portal accepts from FranceConnect: forged ID tokens are refused; userinfo plain or
signed."""

import time

import jwt
import pytest
import requests
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from cryptography.hazmat.primitives.asymmetric import rsa

from devtools import franceconnect_provider
from portail.franceconnect.views import FranceConnectOAuth2Adapter
from tests.franceconnect.conftest import authorize, callback_path, point_portal_at, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def adapter(rf, franceconnect):
    adapter = FranceConnectOAuth2Adapter(rf.get("/"))
    return adapter, adapter.get_provider().app


def _claims(adapter, app):
    now = int(time.time())
    return {
        "iss": adapter.openid_config["issuer"],
        "aud": app.client_id,
        "sub": "fc-angela-dubois",
        "exp": now + 60,
        "iat": now,
        "nonce": "n",
        "acr": "eidas1",
    }


def test_id_token_signed_by_another_key_is_refused(adapter):
    adapter, app = adapter
    kid = requests.get(adapter.openid_config["jwks_uri"], timeout=5).json()["keys"][0]["kid"]
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(_claims(adapter, app), other_key, algorithm="RS256", headers={"kid": kid})
    with pytest.raises(OAuth2Error):
        adapter._verify(app, forged)


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_unsigned_or_shared_secret_id_token_is_refused(adapter, alg):
    adapter, app = adapter
    key = None if alg == "none" else app.secret
    forged = jwt.encode(_claims(adapter, app), key, algorithm=alg)
    with pytest.raises(OAuth2Error):
        adapter._verify(app, forged)


def test_plain_json_userinfo_is_accepted(client, franceconnect, settings):
    with franceconnect_provider.run_in_thread(signed_userinfo=False) as server:
        point_portal_at(settings, f"http://127.0.0.1:{server.server_port}")
        response = client.get(callback_path(authorize(start(client))))
    assert response["Location"] == "/compte/3rdparty/signup/"
