"""Item 7 of issue 12: personal pages and downloads are never cached; unused features are off."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from portail.accounts.models import User

NO_STORE = "no-store, private"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _walk(client, start, limit=120):
    """Every same-site page reachable by links from `start` (GET only): {path: response}."""
    seen, queue, responses = set(), [start], {}
    while queue and len(responses) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        responses[path] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            url = urlsplit(urljoin(path, href))
            if url.netloc or not url.path.startswith("/") or url.path.startswith("/static/"):
                continue
            if url.path.startswith(("/administration/", "/compte/logout")):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return responses


@pytest.fixture
def demo(db):
    call_command("demo", stdout=None)


def _signed_in(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_every_page_and_download_of_a_parent_is_no_store(demo):
    responses = _walk(_signed_in("demo.parent"), "/")
    ok = {path: r for path, r in responses.items() if r.status_code == 200}
    downloads = [p for p, r in ok.items() if r.has_header("Content-Disposition")]
    # The walk reached the personal downloads: receipts, statement, certificate, « Mes données ».
    assert any(p.startswith("/paiements/recu/") for p in downloads), downloads
    assert "/paiements/releve/imprimer/" in downloads or any(
        p.startswith("/paiements/releve/imprimer") for p in downloads
    ), downloads
    assert "/compte/donnees/telecharger/" in downloads, downloads
    assert len(ok) > 20
    cached = {
        p: r.get("Cache-Control") for p, r in ok.items() if r.get("Cache-Control") != NO_STORE
    }
    # Only the shared stylesheet of the town's colours (and its logo) stay cacheable.
    assert set(cached) <= {"/theme.css", "/logo"}, cached


def test_agent_pages_and_downloads_are_no_store(demo):
    responses = _walk(_signed_in("demo.agent"), "/gestion/", limit=80)
    ok = {path: r for path, r in responses.items() if r.status_code == 200}
    assert len(ok) > 10
    assert all(r["Cache-Control"] == NO_STORE for p, r in ok.items() if p != "/theme.css"), {
        p: r.get("Cache-Control") for p, r in ok.items()
    }


def test_uploaded_document_served_to_its_family_is_no_store(demo):
    from portail.documents.models import SupportingDocument

    document = SupportingDocument.objects.filter(
        household__name="Famille Martin", file__gt=""
    ).first()
    assert document is not None
    response = _signed_in("demo.parent").get(f"/justificatifs/fichier/{document.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_calendar_feed_is_no_store_although_anonymous(demo):
    # The parent creates the private address through the page, as a calendar app would get it.
    page = _signed_in("demo.parent").post("/agenda/calendrier/", {"action": "renew"}, follow=True)
    found = re.search(r"http://testserver(/[^\"<\s]*ical[^\"<\s]*)", page.content.decode())
    assert found, "no calendar address shown"
    response = Client().get(found.group(1))
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content
    assert response["Cache-Control"] == NO_STORE


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/aide/", "/cgu/"])
def test_anonymous_public_pages_stay_cacheable_but_get_permissions_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


def test_permissions_policy_on_signed_in_pages_and_errors(demo):
    client = _signed_in("demo.parent")
    for path in ("/paiements/", "/page-qui-n-existe-pas/"):
        assert "camera=()" in client.get(path)["Permissions-Policy"]
