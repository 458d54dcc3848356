import datetime

import pytest
import time_machine
from django.core import mail

from portail.accounts import selectors
from portail.core.models import AuditEvent
from tests.factories import PASSWORD, AgentFactory

HERE = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def attempt(client, login, password, ip=HERE):
    return client.post("/compte/login/", {"login": login, "password": password}, REMOTE_ADDR=ip)


def fail_five_times(client, user, ip=HERE):
    # Identifier and e-mail, in any case, count for the same account.
    logins = [user.username, user.email.upper(), user.username.upper(), user.email, user.username]
    for login in logins:
        response = attempt(client, login, "Wrong-Pass-1", ip)
    return response


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_five_failures_by_identifier_or_email_lock_the_account_from_that_address(client, parent):
    user, _, _ = parent
    response = fail_five_times(client, user)
    assert response.status_code == 429
    html = response.content.decode()
    assert "votre compte est bloqué" in html and "Nous contacter" in html
    # Even the right password is refused now, by identifier or e-mail.
    assert attempt(client, user.email, PASSWORD).status_code == 429
    assert not logged_in(client)
    assert selectors.locked_addresses(user) == [HERE]


@pytest.mark.django_db
def test_an_attacker_elsewhere_cannot_lock_the_parent_out_of_their_address(client, parent):
    user, _, _ = parent
    for _ in range(25):
        attempt(client, user.username, "Wrong-Pass-1", ip=ELSEWHERE)
    response = attempt(client, user.username, PASSWORD, ip=HERE)
    assert response.status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, parent):
    user, _, _ = parent
    for _ in range(4):
        attempt(client, user.username, "Wrong-Pass-1")
    assert attempt(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_lifts_after_the_cool_off(client, parent):
    user, _, _ = parent
    start = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        fail_five_times(client, user)
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert attempt(client, user.username, PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert attempt(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_cool_off_and_limit_are_settings(client, parent, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user, _, _ = parent
    attempt(client, user.username, "Wrong-Pass-1")
    assert attempt(client, user.username, "Wrong-Pass-1").status_code == 429


@pytest.mark.django_db
def test_password_reset_lifts_the_lockout(client, parent):
    user, _, _ = parent
    fail_five_times(client, user)
    client.post("/compte/password/reset/", {"email": user.email.upper()}, REMOTE_ADDR=HERE)
    (message,) = mail.outbox
    link = next(word for word in message.body.split() if "/password/reset/key/" in word)
    response = client.get(link, REMOTE_ADDR=HERE)
    response = client.post(
        response["Location"],
        {"password1": "Nouveau-Jardin-7", "password2": "Nouveau-Jardin-7"},
        REMOTE_ADDR=HERE,
    )
    assert response.status_code == 302
    assert attempt(client, user.username, "Nouveau-Jardin-7").status_code == 302


@pytest.mark.django_db
def test_agent_unlocks_and_the_action_is_recorded(client, parent):
    user, _, _ = parent
    fail_five_times(client, user)
    agent = AgentFactory()
    client.force_login(agent)
    page = client.get("/gestion/comptes/").content.decode()
    assert "Comptes bloqués" in page and user.username in page
    client.post(f"/gestion/comptes/{user.pk}/debloquer/")
    assert selectors.locked_addresses(user) == []
    assert AuditEvent.objects.filter(action="accounts.unlocked", object_id=str(user.pk)).exists()
    client.logout()
    assert attempt(client, user.username, PASSWORD).status_code == 302


def reset_link(client, user):
    client.post("/compte/password/reset/", {"email": user.email})
    return next(w for w in mail.outbox[-1].body.split() if "/password/reset/key/" in w)


@pytest.mark.django_db
def test_password_reset_link_expires_after_24_hours_and_is_single_use(client, parent):
    user, _, _ = parent
    start = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        link = reset_link(client, user)
    with time_machine.travel(start + datetime.timedelta(hours=24, minutes=1), tick=False):
        response = client.get(link, follow=True)
        assert "Ce lien n'est pas valide" in response.content.decode()
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        link = reset_link(client, user)
    with time_machine.travel(start + datetime.timedelta(hours=23), tick=False):
        response = client.get(link)
        data = {"password1": "Nouveau-Jardin-7", "password2": "Nouveau-Jardin-7"}
        assert client.post(response["Location"], data).status_code == 302
        # Used once: the same link no longer works.
        response = client.get(link, follow=True)
        assert "Ce lien n'est pas valide" in response.content.decode()
