"""« Demande de renseignement » without an account: no mail relay (issue 12, item 3).

An attacker types a victim's address and fires the form: the victim gets at most one mail, with
our words only; nothing reaches the agents' queue and no reference is used until the link in
that mail is followed."""

import re

import pytest

from portail.messaging.models import OutboundEmail
from portail.procedures.models import PendingConfirmation, ReferenceCounter, ServiceRequest, Status

URL = "/demarches/renseignement/"


def _question(**extra):
    return {
        "name": "Mallory",
        "email": "victim@example.test",
        "subject": "CHEAP PILLS http://spam.example",
        "message": "Buy now at http://spam.example",
        **extra,
    }


def _link(body):
    return re.search(r"/demarches/confirmer/[^/\s]+/", body).group(0)


@pytest.mark.django_db
def test_a_burst_to_a_victims_address_sends_at_most_one_mail_of_our_own_words(client):
    answers = [client.post(URL, _question()) for _ in range(15)]

    mails = list(OutboundEmail.objects.filter(to="victim@example.test"))
    assert len(mails) == 1
    assert mails[0].subject == "Confirmez votre demande au portail famille"
    assert "PILLS" not in mails[0].body and "spam" not in mails[0].body
    assert answers[0].status_code == 200 and "Vérifiez votre boîte mail" in answers[0].text
    for answer in answers[1:]:
        # The form again with a message beside the e-mail, then the French 429 page.
        assert answer.status_code in (200, 429)
        if answer.status_code == 200:
            assert "Un lien de confirmation vient d" in answer.text
        else:
            assert "Trop de tentatives" in answer.text
    assert [a.status_code for a in answers].count(429) >= 5
    # Nothing in the agents' queue, no reference used.
    assert not ServiceRequest.objects.exists()
    assert not ReferenceCounter.objects.filter(last__gt=0).exists()
    assert PendingConfirmation.objects.count() == 1


@pytest.mark.django_db
def test_the_request_reaches_the_service_once_confirmed_and_takes_one_reference(client):
    client.post(URL, _question(email="Paul@Example.TEST", subject="Menus"))
    link = _link(OutboundEmail.objects.get(to="paul@example.test").body)

    page = client.get(link)  # opening the link (or a mail scanner doing so) sends nothing
    assert page.status_code == 200 and "Menus" in page.text
    assert not ServiceRequest.objects.exists()

    response = client.post(link)
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert sr.status == Status.PENDING and sr.contact_email == "paul@example.test"
    assert sr.reference.endswith("000001")
    assert not PendingConfirmation.objects.exists()

    again = client.post(link)  # a second click: no second request, no second reference
    assert again.status_code == 404 and "plus valide" in again.text
    assert ServiceRequest.objects.count() == 1
    assert ReferenceCounter.objects.get().last == 1


@pytest.mark.django_db
def test_an_expired_or_forged_link_confirms_nothing(client, time_machine):
    time_machine.move_to("2026-03-02 10:00 +01:00")
    client.post(URL, _question(email="paul@example.test"))
    link = _link(OutboundEmail.objects.get(to="paul@example.test").body)
    assert client.post("/demarches/confirmer/forged-token/").status_code == 404
    time_machine.move_to("2026-03-04 10:01 +01:00")  # 48 hours and a minute later
    assert client.post(link).status_code == 404
    assert not ServiceRequest.objects.exists()
    from django.core.management import call_command

    call_command("purge_drafts", "--date", "2026-03-05")
    assert not PendingConfirmation.objects.exists()


@pytest.mark.django_db
def test_over_long_fields_are_refused_beside_the_field(client):
    response = client.post(URL, _question(message="x" * (4 * 1024 * 1024), subject="s" * 151))
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur comporte au plus 5000 caractères" in response.text
    assert "au plus 150 caractères" in response.text
    assert not PendingConfirmation.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_a_familys_question_is_filed_at_once_without_confirmation(client, parent):
    user, household, child = parent
    client.force_login(user)
    response = client.post(URL, _question(email=user.email))
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert sr.household == household and sr.status == Status.PENDING
    assert not PendingConfirmation.objects.exists()
    assert not OutboundEmail.objects.filter(to="victim@example.test").exists()


@pytest.mark.django_db
def test_allauths_rate_limit_answers_with_the_french_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    data = {"login": "nobody@example.test", "password": "wrong"}
    client.post("/compte/login/", data)
    response = client.post("/compte/login/", data)
    assert response.status_code == 429
    assert '<html lang="fr">' in response.text and "Trop de tentatives" in response.text
