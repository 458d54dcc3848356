"""FranceConnect in Chromium against the local provider (devtools/franceconnect_provider.py):
login, first login, linking, unlinking, logout, refused consent, tampered state, wrong nonce,
expired token. Every page of ours is checked with axe."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from portail.accounts.models import User
from portail.families.models import Adult
from tests.conftest import assert_accessible, login
from tests.factories import PASSWORD, make_parent
from tests.franceconnect.conftest import point_portal_at

pytestmark = pytest.mark.django_db(transaction=True)

FC_BUTTON = re.compile("S’identifier avec\\s+FranceConnect")


def field(page, label):
    return page.get_by_label(
        re.compile(rf"^{re.escape(label)}\s*\*?\s*(\(obligatoire\))?$", re.IGNORECASE)
    )


def choose_identity(page, sub):
    """On the provider's page: pick a test identity (FranceConnect's « identity provider »)."""
    page.get_by_role("button", name=sub).click()
    page.wait_for_load_state()


def rewrite_redirect(page, url_glob, param, value):
    """Let the redirect answered at `url_glob` through with its `param` changed (an attacker
    between the browser and the portal, or a provider answer that is not the one awaited)."""

    def handle(route):
        response = route.fetch(max_redirects=0)
        headers = dict(response.headers)
        parts = urlsplit(headers["location"])
        params = parse_qs(parts.query)
        params[param] = [value]
        headers["location"] = urlunsplit(parts._replace(query=urlencode(params, doseq=True)))
        route.fulfill(response=response, headers=headers)

    page.route(url_glob, handle)


def confirm_password(page):
    expect(page.get_by_role("heading", name="Confirmez votre mot de passe")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state()


def signed_in(page):
    return page.get_by_role("button", name="Se déconnecter").is_visible()


def test_first_login_creates_account_and_household_then_logout(page, franceconnect):
    page.goto("/compte/login/")
    assert page.get_by_role("link", name=re.compile("Qu’est-ce que FranceConnect")).get_attribute(
        "href"
    ) == ("https://franceconnect.gouv.fr/")
    assert_accessible(page)
    page.get_by_role("button", name=FC_BUTTON).click()
    assert page.url.startswith(franceconnect)
    choose_identity(page, "fc-angela-dubois")
    # The short page: names from FranceConnect, e-mail to confirm, the household's details.
    expect(page.get_by_role("heading", name="Créer mon compte avec FranceConnect")).to_be_visible()
    expect(page.get_by_text("Angela Claire Louise")).to_be_visible()
    expect(page.get_by_text("DUBOIS")).to_be_visible()
    assert field(page, "Adresse e-mail").input_value() == "angela.dubois@example.test"
    assert_accessible(page)
    page.get_by_role("button", name="valider").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert_accessible(page)
    field(page, "Téléphone").fill("06 11 22 33 44")
    field(page, "Adresse").fill("3 rue des Lilas")
    field(page, "Code postal").fill("74580")
    field(page, "Ville").fill("Viry")
    page.get_by_label("J'ai lu et j'accepte", exact=False).check()
    page.get_by_role("button", name="valider").click()
    page.wait_for_load_state()
    assert signed_in(page)
    user = User.objects.get(email="angela.dubois@example.test")
    assert Adult.objects.get(user=user).household.name == "Famille DUBOIS"
    assert_accessible(page)

    # Logout ends FranceConnect's session too: id_token_hint and state sent, state checked back.
    with page.expect_request(re.compile(r".*/oauth2/end_session\?.*")) as end_session:
        page.get_by_role("button", name="Se déconnecter").click()
    params = parse_qs(urlsplit(end_session.value.url).query)
    assert params["id_token_hint"][0].count(".") == 2 and params["state"][0]
    page.get_by_role("button", name="End session").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"
    assert not signed_in(page)
    expect(page.get_by_text("n'a pas pu être confirmée")).to_have_count(0)
    assert_accessible(page)

    # Next time: straight in, no sign-up page.
    page.goto("/compte/login/")
    page.get_by_role("button", name=FC_BUTTON).click()
    choose_identity(page, "fc-angela-dubois")
    assert signed_in(page)


def test_link_from_options_sign_in_then_unlink(page, franceconnect):
    parent, _household, _child = make_parent(username="paul.durand")
    login(page, "paul.durand")
    page.goto("/compte/profil/options/")
    assert_accessible(page)
    page.get_by_role("button", name=FC_BUTTON).click()
    # Linking asks for the password again first.
    confirm_password(page)
    choose_identity(page, "fc-camille-martin")
    assert "/compte/profil/options/" in page.url
    expect(page.get_by_text("Votre compte est relié à l'identité FranceConnect")).to_be_visible()
    assert_accessible(page)
    assert SocialAccount.objects.get().user == parent

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="End session").click()
    page.goto("/compte/login/")
    page.get_by_role("button", name=FC_BUTTON).click()
    choose_identity(page, "fc-camille-martin")
    assert signed_in(page)
    expect(page.get_by_text(parent.get_full_name()).first).to_be_visible()

    page.goto("/compte/profil/options/")
    page.get_by_role("button", name="Délier FranceConnect").click()
    confirm_password(page)
    expect(page.get_by_text("FranceConnect n'est plus relié à votre compte")).to_be_visible()
    expect(page.get_by_role("button", name=FC_BUTTON)).to_be_visible()
    assert_accessible(page)
    assert not SocialAccount.objects.exists()


def test_refused_consent(page, franceconnect):
    page.goto("/compte/login/")
    page.get_by_role("button", name=FC_BUTTON).click()
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", name="Connexion avec FranceConnect annulée")).to_be_visible()
    assert not signed_in(page)
    assert_accessible(page)


def _refused(page):
    expect(
        page.get_by_role("heading", name="Connexion avec FranceConnect impossible")
    ).to_be_visible()
    assert not signed_in(page)
    assert not User.objects.exists()
    assert_accessible(page)


def test_tampered_state(page, franceconnect):
    rewrite_redirect(page, re.compile(r".*/oauth2/authorize\?.*"), "state", "forged-state")
    page.goto("/compte/login/")
    page.get_by_role("button", name=FC_BUTTON).click()
    choose_identity(page, "fc-angela-dubois")
    _refused(page)


def test_wrong_nonce(page, franceconnect):
    rewrite_redirect(page, "**/compte/franceconnect/login/", "nonce", "n" * 43)
    page.goto("/compte/login/")
    page.get_by_role("button", name=FC_BUTTON).click()
    choose_identity(page, "fc-angela-dubois")
    _refused(page)


def test_expired_token(page, franceconnect, settings, fc_expired_server):
    point_portal_at(settings, fc_expired_server)
    page.goto("/compte/login/")
    page.get_by_role("button", name=FC_BUTTON).click()
    choose_identity(page, "fc-angela-dubois")
    _refused(page)
