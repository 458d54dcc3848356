"""Roles and menus (issue 13, item 2): each back-office role reaches its areas, and only them.

The matrix is checked server-side with the test client: the menu only hides links, the views
refuse (403) what a role may not open, and an anonymous visitor is sent to the login page."""

import html as html_lib
import re

import pytest
from django.test import Client

from portail.backoffice.menu import ENTRIES
from tests.factories import PASSWORD, AgentFactory, CashierFactory, UserFactory, make_parent

OK, FORBIDDEN, LOGIN = 200, 403, 302

# URL: expected answer for anonymous, parent, agent, cashier, administrator.
MATRIX = {
    "/gestion/": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/gestion/demandes/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/justificatifs/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/agenda/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/comptes/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/regie/": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/gestion/regie/journal/": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    "/gestion/regie/comptes-negatifs/": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/gestion/regie/comptes-negatifs/?export=csv": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/gestion/messages/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/messages/?export=csv": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/demandes/?export=csv": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/justificatifs/?export=csv": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/taches/": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/gestion/import/": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "/gestion/import/invitations/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    # Family record and search: agents correct, the cashier reads (issue 13, item 1).
    "/gestion/recherche/": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/gestion/familles/{family}/": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/gestion/familles/{family}/adresse/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/familles/{family}/quotient/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/familles/{family}/adulte/{adult}/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/familles/{family}/enfant/{child}/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/familles/{family}/contact/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    # Journal of actions (item 8): agents and the administrator.
    "/gestion/journal/": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    "/gestion/journal/export.csv": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
}
ROLES = ["anonymous", "parent", "agent", "cashier", "administrator"]


@pytest.fixture
def users(db):
    parent, household, child = make_parent()
    return {
        # The ids the family record's URLs need.
        "_ids": {"family": household.pk, "adult": household.adults.get().pk, "child": child.pk},
        "anonymous": None,
        "parent": parent,
        "agent": AgentFactory(),
        "cashier": CashierFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_its_areas_and_is_refused_the_others(users, role):
    client = _client(users[role])
    answers = {url: client.get(url.format(**users["_ids"])).status_code for url in MATRIX}
    expected = {url: codes[ROLES.index(role)] for url, codes in MATRIX.items()}
    assert answers == expected


def _menu_links(client):
    html = client.get("/gestion/").content.decode()
    nav = re.search(r'<nav aria-label="Espaces de gestion".*?</nav>', html, re.S).group(0)
    found = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    return [(url, html_lib.unescape(label)) for url, label in found]


@pytest.mark.parametrize("role", ["agent", "cashier", "administrator"])
def test_the_dashboard_menu_holds_what_the_role_may_open_and_each_link_opens(users, role):
    client = _client(users[role])
    links = _menu_links(client)
    labels = [label for _url, label in links]
    if role == "cashier":
        assert labels == [
            "Familles (recherche, fiche)",
            "Régie et comptes d'avance",
            "Journal de caisse",
            "Comptes négatifs",
            "Tâches planifiées",
        ]
    elif role == "agent":
        assert "Demandes à traiter" in labels and "Justificatifs à vérifier" in labels
        assert "Journal de caisse" not in labels
        assert "Messages reçus par «\u00a0Nous contacter\u00a0»" in labels
        assert "Import depuis l'ancien logiciel" not in labels
    else:
        assert len(labels) == len(ENTRIES)
    for url, label in links:
        assert client.get(url).status_code == 200, (role, label, url)


def test_agent_pages_show_no_parent_menu(users):
    for role in ("agent", "cashier", "administrator"):
        html = _client(users[role]).get("/gestion/").content.decode()
        nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
        assert 'href="/gestion/"' in nav
        for parent_only in ("/demarches/", "/agenda/", "/paiements/"):
            assert f'href="{parent_only}"' not in nav, (role, parent_only)


def test_a_parent_keeps_the_parent_menu_and_no_back_office_link(users):
    html = _client(users["parent"]).get("/").content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    assert 'href="/demarches/"' in nav and 'href="/agenda/"' in nav
    assert "/gestion/" not in nav


@pytest.mark.parametrize("role", ["agent", "cashier", "administrator"])
def test_staff_land_on_their_dashboard_after_login(users, role):
    response = Client().post(
        "/compte/login/", {"login": users[role].username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/gestion/"


def test_a_parent_lands_on_the_home_page_after_login(users):
    response = Client().post(
        "/compte/login/", {"login": users["parent"].username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
