"""FranceConnect through the real OpenID Connect flow against the local provider."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from allauth.socialaccount.models import SocialAccount

from portail.accounts.models import User
from portail.families.models import Adult
from tests.franceconnect.conftest import authorize, callback_path, query, start

pytestmark = pytest.mark.django_db


def test_authorization_request_is_franceconnect_s(client, franceconnect):
    url = start(client)
    params = query(url)
    assert url.startswith(franceconnect + "/oauth2/authorize")
    assert set(params["scope"].split()) == {
        "openid",
        "given_name",
        "family_name",
        "birthdate",
        "email",
    }
    assert params["acr_values"] == "eidas1"
    assert params["response_type"] == "code"
    assert len(params["state"]) >= 16 and len(params["nonce"]) >= 32
    # A new state and nonce for each attempt.
    again = query(start(client))
    assert again["state"] != params["state"] and again["nonce"] != params["nonce"]


def test_first_login_creates_account_and_household(client, franceconnect, mailbox):
    response = client.get(callback_path(authorize(start(client))))
    assert response["Location"] == "/compte/3rdparty/signup/"
    page = client.get("/compte/3rdparty/signup/")
    assert "DUBOIS" in page.text and "Angela Claire Louise" in page.text
    assert page.context["form"]["email"].value() == "angela.dubois@example.test"
    response = client.post(
        "/compte/3rdparty/signup/",
        {
            "email": "angela.dubois@example.test",
            "username": "angela.dubois",
            "phone": "06 11 22 33 44",
            "address_line1": "3 rue des Lilas",
            "postcode": "74580",
            "city": "Viry",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="angela.dubois")
    assert (user.first_name, user.last_name) == ("Angela Claire Louise", "DUBOIS")
    assert not user.has_usable_password()
    adult = Adult.objects.get(user=user)
    assert adult.household.name == "Famille DUBOIS" and adult.household.postcode == "74580"
    # FranceConnect vouches for the address: signed in at once, no activation mail.
    assert user.emailaddress_set.get().verified
    assert client.get("/compte/profil/").status_code == 200
    assert len(mailbox) == 0
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "franceconnect" and account.uid == "fc-angela-dubois"
    assert account.extra_data["userinfo"]["birthdate"] == "1962-08-24"


SIGNUP = {
    "email": "angela.dubois@example.test",
    "username": "angela.dubois",
    "phone": "06 11 22 33 44",
    "address_line1": "3 rue des Lilas",
    "postcode": "74580",
    "city": "Viry",
    "accept_terms": "on",
}


def sign_up_angela(client):
    client.get(callback_path(authorize(start(client))))
    response = client.post("/compte/3rdparty/signup/", SIGNUP)
    assert response.status_code == 302
    return User.objects.get(username="angela.dubois")


def replace_param(url, name, value):
    parts = urlsplit(url)
    params = parse_qs(parts.query)
    params[name] = [value]
    return urlunsplit(parts._replace(query=urlencode(params, doseq=True)))


def refused(response):
    """The portal's « connexion avec FranceConnect impossible » page, nobody signed in."""
    return response.status_code == 401 and "FranceConnect" in response.text


def test_second_login_signs_in_without_sign_up(client, franceconnect):
    user = sign_up_angela(client)
    client.logout()
    response = client.get(callback_path(authorize(start(client))), follow=True)
    assert response.context["user"] == user


def test_tampered_state_is_refused(client, franceconnect):
    callback = authorize(start(client))
    response = client.get(callback_path(replace_param(callback, "state", "forged-state")))
    assert refused(response)
    assert not SocialAccount.objects.exists()
    # The genuine answer, replayed after the refusal, is not accepted either (state used up).
    assert client.get(callback_path(callback)).status_code in (302, 401)


def test_state_from_another_browser_is_refused(client, franceconnect):
    from django.test import Client

    callback = authorize(start(client))
    assert refused(Client().get(callback_path(callback)))


def test_wrong_nonce_is_refused(client, franceconnect):
    # The provider signs the nonce it was given: one that is not ours must be refused.
    url = replace_param(start(client), "nonce", "x" * 43)
    response = client.get(callback_path(authorize(url)))
    assert refused(response)
    assert "_auth_user_id" not in client.session


def test_expired_id_token_is_refused(client, franceconnect, settings, fc_expired_server):
    from tests.franceconnect.conftest import point_portal_at

    point_portal_at(settings, fc_expired_server)
    response = client.get(callback_path(authorize(start(client))))
    assert refused(response)
    assert "_auth_user_id" not in client.session


def test_refused_consent(client, franceconnect):
    response = client.get(callback_path(authorize(start(client), deny=True)), follow=True)
    assert "Connexion avec FranceConnect annulée" in response.text
    assert "_auth_user_id" not in client.session


def test_off_by_default_no_button_and_404(client, settings, fc_server):
    from tests.franceconnect.conftest import point_portal_at

    point_portal_at(settings, fc_server)
    assert "S’identifier avec" not in client.get("/compte/login/").text
    assert client.post("/compte/franceconnect/login/").status_code == 404


def test_button_on_login_and_signup_pages(client, franceconnect):
    for url in ("/compte/login/", "/compte/signup/"):
        text = client.get(url).text
        assert "S’identifier avec" in text and "Qu’est-ce que FranceConnect\u00a0?" in text
        assert 'href="https://franceconnect.gouv.fr/"' in text


def test_existing_email_is_never_linked_silently(client, franceconnect):
    from tests.factories import make_parent

    make_parent(username="angela.dubois")  # angela.dubois@example.test
    client.get(callback_path(authorize(start(client))))
    response = client.post("/compte/3rdparty/signup/", SIGNUP)
    assert response.status_code == 200
    assert "Un compte utilise déjà cette adresse" in response.text
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session


def test_link_from_options_after_password_then_unlink(client, franceconnect):
    from tests.factories import PASSWORD, make_parent

    parent, _household, _child = make_parent()
    client.force_login(parent)  # a session, but no password typed lately
    assert "S’identifier avec" in client.get("/compte/profil/options/").text
    # Linking asks for the password first, then goes on to FranceConnect.
    response = client.post("/compte/franceconnect/login/", {"process": "connect"})
    assert response["Location"].startswith("/compte/reauthenticate/")
    response = client.post(response["Location"], {"password": "Not-the-password-1"})
    assert response.status_code == 200 and not SocialAccount.objects.exists()
    response = client.post(
        response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"],
        {"password": PASSWORD},
    )
    authorize_url = response["Location"]
    assert authorize_url.startswith(franceconnect)
    client.get(callback_path(authorize(authorize_url, sub="fc-camille-martin")))
    account = SocialAccount.objects.get()
    assert account.user == parent and account.uid == "fc-camille-martin"
    # Next time, FranceConnect alone signs this parent in.
    client.logout()
    response = client.get(
        callback_path(authorize(start(client), sub="fc-camille-martin")), follow=True
    )
    assert response.context["user"] == parent
    # Unlinking asks for the password too (signed in through FranceConnect just now).
    response = client.post("/compte/profil/franceconnect/delier/")
    assert response["Location"].startswith("/compte/reauthenticate/")
    assert SocialAccount.objects.exists()
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert not SocialAccount.objects.exists()
    assert "plus relié à votre compte" in response.text


def test_identity_linked_to_another_account_is_refused(client, franceconnect):
    from tests.factories import PASSWORD, make_parent

    sign_up_angela(client)
    client.logout()
    parent, _household, _child = make_parent()
    client.post("/compte/login/", {"login": parent.username, "password": PASSWORD})
    response = client.post("/compte/franceconnect/login/", {"process": "connect"})
    if response["Location"].startswith("/compte/reauthenticate/"):
        response = client.post(response["Location"], {"password": PASSWORD})
    response = client.get(
        callback_path(authorize(response["Location"], sub="fc-angela-dubois")), follow=True
    )
    assert "déjà reliée à un autre compte" in response.text
    assert not SocialAccount.objects.filter(user=parent).exists()


def test_unlink_refused_without_password(client, franceconnect):
    user = sign_up_angela(client)
    response = client.post("/compte/profil/franceconnect/delier/", follow=True)
    assert SocialAccount.objects.filter(user=user).exists()
    assert "mot de passe" in response.text


def test_closed_account_cannot_sign_in(client, franceconnect):
    from portail.accounts import services
    from tests.factories import AgentFactory

    user = sign_up_angela(client)
    client.logout()
    closure = services.request_closure(user)
    services.confirm_closure(AgentFactory(), closure)
    # The link stays (FranceConnect cannot reach a new account silently), the identity goes.
    account = SocialAccount.objects.get(user=user)
    assert account.extra_data == {}
    response = client.get(callback_path(authorize(start(client))), follow=True)
    assert not response.context["user"].is_authenticated
    assert "Compte fermé" in response.text
    assert User.objects.count() == 2  # the closed account and the agent: no new account


def test_lockout_does_not_apply(client, franceconnect, settings):
    user = sign_up_angela(client)
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/compte/login/", {"login": "angela.dubois", "password": "Wrong-pass-1"})
    assert client.post(
        "/compte/login/", {"login": "angela.dubois", "password": "Wrong-pass-1"}
    ).status_code in (403, 429)
    response = client.get(callback_path(authorize(start(client))), follow=True)
    assert response.context["user"] == user


def test_logout_ends_franceconnect_session(client, franceconnect):
    sign_up_angela(client)
    response = client.post("/compte/logout/")
    end = response["Location"]
    assert end.startswith(franceconnect + "/oauth2/end_session?")
    params = query(end)
    assert params["id_token_hint"].count(".") == 2
    assert params["post_logout_redirect_uri"].endswith("/compte/franceconnect/deconnexion/")
    assert "_auth_user_id" not in client.session
    # The provider sends the browser back with the state: home, no warning.
    back = client.get(f"/compte/franceconnect/deconnexion/?state={params['state']}", follow=True)
    assert "n'a pas pu être confirmée" not in back.text
    # A forged return is told apart.
    back = client.get("/compte/franceconnect/deconnexion/?state=forged", follow=True)
    assert "FranceConnect" in back.text


def test_other_address_is_confirmed_by_our_mail(
    client, franceconnect, mailbox, django_capture_on_commit_callbacks
):
    client.get(callback_path(authorize(start(client))))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/compte/3rdparty/signup/", {**SIGNUP, "email": "angela.perso@example.test"}
        )
    assert response.status_code == 302
    user = User.objects.get(username="angela.dubois")
    # Only the address typed, unconfirmed: FranceConnect's is not kept.
    assert [(a.email, a.verified) for a in user.emailaddress_set.all()] == [
        ("angela.perso@example.test", False)
    ]
    assert "_auth_user_id" not in client.session  # not before the address is confirmed
    assert Adult.objects.get(user=user).household.name == "Famille DUBOIS"
    assert mailbox.last("angela.perso@example.test")["subject"] == (
        "Activez votre compte sur le portail famille"
    )
