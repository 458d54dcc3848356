"""The administrator creates a partner application, sees its token once, renews or revokes it."""

import re

from django.contrib.messages import get_messages

from portail.api.models import PartnerApplication
from portail.core.models import AuditEvent
from portail.core.tokens import hash_token
from tests.api.conftest import ApiClient
from tests.factories import UserFactory


def _admin_client(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def _token_in(response) -> str:
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "affiché cette seule fois" in text
    return re.search(r"logiciel du partenaire\. ([\w-]{43})", text).group(1)


def test_the_administrator_creates_an_application_and_sees_its_token_once(client, db):
    admin = _admin_client(client)
    response = client.post(
        "/administration/api/partnerapplication/add/",
        {
            "name": "Cuisine centrale",
            "contact": "cuisine@mairie.test",
            "scopes": ["headcounts:read", "bookings:read"],
            "rate_limit": "60",
        },
    )
    assert response.status_code == 302
    token = _token_in(response)
    application = PartnerApplication.objects.get(name="Cuisine centrale")
    assert application.token_hash == hash_token(token)
    assert token not in str(PartnerApplication.objects.values().get())
    assert application.scopes == ["bookings:read", "headcounts:read"]
    assert AuditEvent.objects.filter(action="api.application_created", actor=admin).exists()
    # Shown on the page after the redirect, then never again.
    assert token in client.get(response.url).content.decode()
    page = client.get(f"/administration/api/partnerapplication/{application.pk}/change/")
    assert token not in page.content.decode()
    assert application.token_prefix in page.content.decode()

    partner = ApiClient(token)
    assert partner.get("/api/v1/bookings?date=2026-11-16").status_code == 200
    assert partner.get("/api/v1/households").status_code == 403

    response = client.post(
        "/administration/api/partnerapplication/",
        {"action": "revoke_tokens", "_selected_action": [application.pk]},
    )
    assert response.status_code == 302
    assert partner.get("/api/v1/bookings?date=2026-11-16").status_code == 401

    response = client.post(
        "/administration/api/partnerapplication/",
        {"action": "renew_tokens", "_selected_action": [application.pk]},
    )
    renewed = _token_in(response)
    assert ApiClient(renewed).get("/api/v1/bookings?date=2026-11-16").status_code == 200
    assert partner.get("/api/v1/bookings?date=2026-11-16").status_code == 401
