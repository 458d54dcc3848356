"""Item 9 of issue 12: French error pages with the town's look, with DEBUG=0."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from portail.core.models import TownSettings
from portail.urls import urlpatterns as portal_urls


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [*portal_urls, path("boom/", _boom)]
handler400 = "portail.core.views.bad_request"
handler500 = "portail.core.views.server_error"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.core.test_error_pages"),
]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    TownSettings.objects.update_or_create(pk=1, defaults={"town_name": "Viry"})


def _html(response):
    return response.content.decode()


def test_404_in_french_with_the_town(client):
    response = client.get("/n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in _html(response)
    assert "Viry" in _html(response)


def test_403_in_french(client, parent):
    user, _household, _child = parent
    client.force_login(user)
    response = client.get("/gestion/")
    assert response.status_code == 403
    assert "Accès refusé" in _html(response)


def test_csrf_failure_in_french(parent):
    user, _household, _child = parent
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/compte/profil/options/", {"anything": "1"})
    assert response.status_code == 403
    html = _html(response)
    assert "Formulaire expiré" in html
    assert "CSRF" not in html and "Forbidden" not in html
    assert "Viry" in html


def test_bad_request_in_french(client):
    # A host name outside ALLOWED_HOSTS is one of Django's « suspicious operations ».
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Requête incomprise" in _html(response)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_request_too_large_is_a_french_413(client):
    response = client.post("/nous-contacter/", {"message": "x" * 5000})
    assert response.status_code == 413
    assert "Requête trop volumineuse" in _html(response)


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_too_many_fields_is_a_french_413(client):
    response = client.post("/nous-contacter/", {f"f{i}": "1" for i in range(50)})
    assert response.status_code == 413


def test_500_in_french_with_the_town_and_at_most_one_query():
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/boom/")
    assert response.status_code == 500
    html = _html(response)
    assert "Une erreur s'est produite" in html
    assert "Viry" in html
    # The town comes from the cache (one read at most): the failure may be the database's.
    assert len([q for q in queries if "core_townsettings" in q["sql"]]) <= 1


def test_500_renders_when_the_town_cannot_be_read(monkeypatch):
    def broken(cls):
        raise RuntimeError("database down")

    monkeypatch.setattr(TownSettings, "current", classmethod(broken))
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Une erreur s'est produite" in _html(response)


def test_500_still_answers_when_the_template_cannot_render(settings):
    # Production storage without a collected manifest: the {% static %} tag raises.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Une erreur s'est produite" in _html(response)
