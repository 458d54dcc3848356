import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command

from portail.accounts.models import User
from portail.families.models import Household

SIGNUP = {
    "username": "Camille.Durand",
    "email": "Camille.Durand@Example.TEST",
    "password1": "Jardin-Bleu-2026",
    "password2": "Jardin-Bleu-2026",
    "last_name": "Durand",
    "first_name": "Camille",
    "phone": "06 11 22 33 44",
    "address_line1": "3 rue des Lilas",
    "postcode": "74580",
    "city": "Viry",
    "accept_terms": "on",
}


def activation_link(body):
    return re.search(r"https?://\S+/confirm-email/\S+/", body).group(0)


@pytest.mark.django_db
def test_signup_creates_inactive_account_with_household_and_sends_french_mail(client):
    response = client.post("/compte/signup/", SIGNUP)
    assert response.status_code == 302, response.content.decode()[:3000]
    # The sign-up done page: the prepaid account must be credited before booking (FAQ §5).
    done = client.get(response["Location"]).content.decode()
    assert "Avant de réserver la cantine ou le périscolaire, créditez votre compte" in done
    assert 'href="/paiements/?recharger=1#topup-title">Recharger mon compte</a>' in done
    user = User.objects.get()
    assert user.username == "camille.durand" and user.email == "camille.durand@example.test"
    household = Household.objects.get(adults__user=user)
    assert household.name == "Famille Durand" and household.city == "Viry"
    assert household.adults.get().phone == "06 11 22 33 44"
    (message,) = mail.outbox
    assert message.subject == "Activez votre compte sur le portail famille"
    assert "24 heures" in message.body and "camille.durand" in message.body
    # Cannot log in before following the link.
    response = client.post(
        "/compte/login/", {"login": "camille.durand", "password": SIGNUP["password1"]}
    )
    assert "_auth_user_id" not in client.session
    # The link lands on the login page; then login works, by e-mail in capitals too.
    link = activation_link(message.body)
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/compte/login/"
    assert "créditez votre compte d&#x27;avance" in client.get("/compte/login/").content.decode()
    assert EmailAddress.objects.get(user=user).verified
    client.post(
        "/compte/login/", {"login": "CAMILLE.DURAND@example.test", "password": SIGNUP["password1"]}
    )
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_signup_errors_are_french_and_keep_input(client):
    data = {**SIGNUP, "password1": "abc", "password2": "abc", "accept_terms": "", "postcode": "7"}
    html = client.post("/compte/signup/", data).content.decode()
    assert "Le mot de passe doit contenir au moins 8 caractères." in html
    assert "Vous devez accepter les conditions générales d&#x27;utilisation" in html
    assert "code postal de 5 chiffres" in html
    assert 'value="3 rue des Lilas"' in html and 'value="Camille.Durand@Example.TEST"' in html
    assert not User.objects.exists() and not Household.objects.exists()


@pytest.mark.django_db
def test_signup_with_taken_email_in_other_case_reveals_nothing(client, parent):
    user, _, _ = parent
    data = {**SIGNUP, "email": user.email.upper(), "username": "someone.else"}
    response = client.post("/compte/signup/", data)
    assert response.status_code == 302
    assert User.objects.count() == 1
    # The page says « check your e-mail » as for a new account; only the owner learns more.
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Vous avez déjà un compte sur le portail famille"


@pytest.mark.django_db
def test_activation_link_expires_after_24_hours(client):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 10, 0, tzinfo=datetime.UTC), tick=False):
        client.post("/compte/signup/", SIGNUP)
    link = activation_link(mail.outbox[0].body)
    with time_machine.travel(datetime.datetime(2026, 9, 2, 10, 1, tzinfo=datetime.UTC), tick=False):
        response = client.get(link)
    assert response.status_code == 200
    assert "Ce lien a expiré" in response.content.decode()
    assert not EmailAddress.objects.get().verified


@pytest.mark.django_db
def test_purge_deletes_unactivated_accounts_after_24_hours_idempotently(client, parent):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 10, 0, tzinfo=datetime.UTC), tick=False):
        client.post("/compte/signup/", SIGNUP)
    assert User.objects.count() == 2
    with time_machine.travel(datetime.datetime(2026, 9, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        call_command("purge_unactivated_accounts")
        assert User.objects.count() == 2  # not yet 24 hours
    with time_machine.travel(datetime.datetime(2026, 9, 3, 9, 0, tzinfo=datetime.UTC), tick=False):
        call_command("purge_unactivated_accounts", "--date", "2026-09-02")
        call_command("purge_unactivated_accounts", "--date", "2026-09-02")
    assert list(User.objects.all()) == [parent[0]]
    assert Household.objects.count() == 1


@pytest.mark.django_db
def test_identifier_cannot_look_like_an_email_or_be_taken_in_another_case(client, parent):
    html = client.post("/compte/signup/", {**SIGNUP, "username": "camille@durand"}).content.decode()
    assert "Utilisez uniquement des lettres (sans accents)" in html
    taken = parent[0].username.upper()
    html = client.post("/compte/signup/", {**SIGNUP, "username": taken}).content.decode()
    assert "errorlist" in html and not User.objects.filter(email="camille.durand@example.test")
