"""FranceConnect through the real OpenID Connect flow against the local provider."""

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
    assert set(params["scope"].split()) == {"openid", "given_name", "family_name", "birthdate", "email"}
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
