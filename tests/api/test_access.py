"""Who may call what: tokens (missing, unknown, revoked, expired), scopes as a matrix over
every endpoint of the schema, the parent's session, the rate limit and the call log."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

from portail.api.api import api
from portail.api.models import ApiCall, Scope
from portail.api.services import renew_token, revoke
from portail.core import clock
from tests.api.conftest import ALL_SCOPES, ApiClient, make_application

PERIOD = "date_from=2026-11-01&date_to=2026-11-30"


def operations(town):
    """Every operation of the schema with a request that succeeds when the scope is given."""
    household, child = town["household"], town["child"]
    ids = {"household_id": household.pk, "child_id": child.pk}
    queries = {
        "/api/v1/headcounts": PERIOD,
        "/api/v1/ledger/entries": PERIOD,
        "/api/v1/ledger/balances": PERIOD,
        "/api/v1/bookings": "date=2026-11-16",
    }
    bodies = {
        ("PATCH", "/api/v1/households/{household_id}"): {"city": "Annecy"},
        ("POST", "/api/v1/households/{household_id}/contacts"): {
            "kind": "phone",
            "value": "0450000000",
        },
        ("PATCH", "/api/v1/children/{child_id}"): {"level": "CM1"},
    }
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for template, item in schema["paths"].items():
        for method, op in item.items():
            method = method.upper()
            url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), template)
            if template in queries:
                url += "?" + queries[template]
            yield method, template, url, bodies.get((method, template)), op["x-scope"]


def call(client, method, url, body):
    return client.generic(
        method,
        url,
        data=None if body is None else __import__("json").dumps(body),
        content_type="application/json",
    )


def test_every_endpoint_needs_its_scope_and_only_it(town):
    seen_scopes = set()
    for method, template, url, body, scope in operations(town):
        seen_scopes.add(scope)
        for given in Scope:
            _app, token = make_application([given.value])
            response = call(ApiClient(token), method, url, body)
            if given == scope:
                assert response.status_code in (200, 201), (method, template, given)
            else:
                assert response.status_code == 403, (method, template, given)
                assert scope in response.json()["detail"]
                assert "portée" in response.json()["detail"]
    assert seen_scopes == set(ALL_SCOPES)


@pytest.mark.parametrize("case", ["missing", "unknown", "revoked", "renewed", "expired", "basic"])
def test_no_valid_token_gets_401_on_every_endpoint(town, case):
    application, token = make_application()
    headers = {}
    if case == "unknown":
        token = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    elif case == "revoked":
        revoke(application)
    elif case == "renewed":
        renew_token(application)  # the old token stops working at once
    elif case == "expired":
        application.expires_at = clock.now() - datetime.timedelta(minutes=1)
        application.save()
    elif case == "basic":
        headers = {"Authorization": f"Basic {token}"}
    client = ApiClient(None if case in ("missing", "basic") else token, headers=headers)
    for method, template, url, body, _scope in operations(town):
        response = call(client, method, url, body)
        assert response.status_code == 401, (case, method, template)
        assert response.json() == {"detail": "Jeton d'accès absent, inconnu, révoqué ou expiré."}
        assert response["WWW-Authenticate"] == "Bearer"
    town["household"].refresh_from_db()
    assert town["household"].city == "Viry"  # nothing written


def test_a_token_works_until_its_expiry(town):
    expiry = clock.now() + datetime.timedelta(days=1)
    _app, token = make_application(expires_at=expiry)
    client = ApiClient(token)
    assert client.get("/api/v1/schools").status_code == 200
    with time_machine.travel(expiry + datetime.timedelta(seconds=1)):
        assert client.get("/api/v1/schools").status_code == 401


def test_a_renewed_token_works_and_only_its_hash_is_stored(town):
    application, old = make_application()
    new = renew_token(application)
    application.refresh_from_db()
    assert old not in application.token_hash and new not in application.token_hash
    assert application.token_prefix == new[:8]
    assert ApiClient(new).get("/api/v1/schools").status_code == 200


def test_a_parents_session_does_not_open_the_api(town):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(town["user"])  # a real session cookie, as after the login form
    assert browser.get("/api/v1/households").status_code == 401
    url = f"/api/v1/households/{town['household'].pk}"
    response = browser.patch(url, data={"city": "Ailleurs"}, content_type="application/json")
    assert response.status_code == 401
    town["household"].refresh_from_db()
    assert town["household"].city == "Viry"


def test_writes_need_no_csrf_token_with_a_bearer(town, partner):
    _app, client = partner
    client.handler.enforce_csrf_checks = True
    url = f"/api/v1/households/{town['household'].pk}"
    response = client.patch(url, data={"city": "Annecy"}, content_type="application/json")
    assert response.status_code == 200


def test_unknown_ids_are_404_in_french(town, partner):
    _app, client = partner
    for url in ("/api/v1/households/999999", "/api/v1/children/999999"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Introuvable."}
    response = client.patch("/api/v1/children/999999", data={}, content_type="application/json")
    assert response.status_code == 404


def _redis_cache():
    """The shared cache of a deployment with several processes (CACHE_URL=redis://...), under a
    key prefix of its own; None when no Redis answers on this machine."""
    import socket
    import uuid

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/7",
            "KEY_PREFIX": f"h-api-test-{uuid.uuid4().hex}",
        }
    }


@pytest.mark.parametrize("backend", ["local", "redis"])
def test_too_many_calls_get_a_french_429_then_pass_again_the_next_minute(town, backend):
    caches = settings.CACHES
    if backend == "redis":
        caches = _redis_cache()
        if caches is None:
            pytest.skip("no Redis on 127.0.0.1:6379")
    _app, token = make_application(rate_limit=3)
    client = ApiClient(token)
    with override_settings(CACHES=caches):
        with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 0, 5, tzinfo=datetime.UTC)):
            calls = [client.get("/api/v1/schools").status_code for _ in range(4)]
            assert calls == [200] * 3 + [429]
            response = client.get("/api/v1/schools")
            assert response.status_code == 429
            assert response["Retry-After"] == "60"
            assert "Trop de requêtes" in response.json()["detail"]
            # Another application has its own count.
            assert ApiClient(make_application()[1]).get("/api/v1/schools").status_code == 200
        with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 1, 5, tzinfo=datetime.UTC)):
            assert client.get("/api/v1/schools").status_code == 200


def test_every_call_is_logged_with_its_application_and_status(town):
    application, token = make_application([Scope.FAMILIES_READ.value], name="Cuisine centrale")
    client = ApiClient(token)
    client.get("/api/v1/households")
    client.get("/api/v1/ledger/balances?" + PERIOD)
    client.get("/api/v1/households/999999")
    ApiClient("faux").get("/api/v1/households")
    calls = list(
        ApiCall.objects.order_by("pk").values_list("application", "method", "path", "status")
    )
    assert calls == [
        (application.pk, "GET", "/api/v1/households", 200),
        (application.pk, "GET", "/api/v1/ledger/balances", 403),
        (application.pk, "GET", "/api/v1/households/999999", 404),
        (None, "GET", "/api/v1/households", 401),
    ]
    application.refresh_from_db()
    assert application.last_used_at is not None


def test_the_scope_is_checked_before_the_parameters(town):
    _app, token = make_application([Scope.FAMILIES_READ.value])
    response = ApiClient(token).get("/api/v1/ledger/entries?date_from=hier")
    assert response.status_code == 403


@override_settings(API_UNKNOWN_TOKEN_PER_MINUTE=5)
def test_guessing_tokens_from_one_address_is_stopped_for_a_minute(town):
    guesser = ApiClient("devine", REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 0, 5, tzinfo=datetime.UTC)):
        statuses = [guesser.get("/api/v1/schools").status_code for _ in range(6)]
        assert statuses == [401] * 5 + [429]
        response = guesser.get("/api/v1/schools")
        assert response["Retry-After"] == "60"
        assert "jeton d'accès inconnu" in response.json()["detail"]
        # A partner with a valid token, from another address, is not held up by the guesser.
        _app, token = make_application()
        assert (
            ApiClient(token, REMOTE_ADDR="198.51.100.7").get("/api/v1/schools").status_code == 200
        )
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 1, 5, tzinfo=datetime.UTC)):
        assert guesser.get("/api/v1/schools").status_code == 401


@override_settings(API_CALL_LOG_DAYS=90)
def test_the_call_log_is_purged_past_its_retention_by_the_daily_job(town):
    _app, token = make_application()
    client = ApiClient(token)
    for day in (datetime.date(2026, 8, 1), datetime.date(2026, 9, 1), datetime.date(2026, 11, 1)):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(9), datetime.UTC)):
            client.get("/api/v1/schools")
    with time_machine.travel(datetime.datetime(2026, 11, 30, 1, 45, tzinfo=datetime.UTC)):
        call_command("run_job", "purge_api_calls")
    kept = sorted(call.at.date() for call in ApiCall.objects.all())
    assert kept == [datetime.date(2026, 9, 1), datetime.date(2026, 11, 1)]
