"""Changing the e-mail address or the password needs the current password; the old address can
cancel an e-mail change for 7 days, which also kills the reset links sent meanwhile."""

import datetime
import html as htmllib
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress

from portail.accounts.models import EmailChange, User
from portail.core.models import AuditEvent
from tests.factories import PASSWORD, make_parent

pytestmark = pytest.mark.django_db
NEW = "pirate@example.test"
START = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


def link(mail, fragment):
    return next(w for w in mail["body"].split() if fragment in w)


def text(response):
    return htmllib.unescape(response.content.decode())


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def change_email(client, mailbox, user, password=PASSWORD):
    """Ask for the new address with the password, then follow the link mailed to it."""
    client.force_login(user)
    client.post("/compte/email/", {"action_add": "", "email": NEW, "password": password})
    client.get(path_of(link(mailbox.last(NEW), "/confirm-email/")))
    user.refresh_from_db()


def changed(client, mailbox, user):
    """Change the address to NEW; return the old address and the cancel link it received."""
    old = user.email
    change_email(client, mailbox, user)
    return old, path_of(link(mailbox.last(old), "/compte/email/annuler/"))


def test_the_email_change_is_refused_without_the_current_password(client, parent, mailbox):
    user, _, _ = parent
    client.force_login(user)
    for password, message in [
        ("", "Ce champ est obligatoire."),
        ("Wrong-Pass-1", "Le mot de passe actuel n'est pas correct."),
    ]:
        response = client.post(
            "/compte/email/", {"action_add": "", "email": NEW, "password": password}
        )
        assert response.status_code == 200 and message in text(response)
        assert NEW in text(response)  # what was typed is kept
    assert not EmailAddress.objects.filter(email=NEW).exists()
    assert len(mailbox) == 0


def test_the_password_change_is_refused_without_the_current_password(client, parent):
    user, _, _ = parent
    client.force_login(user)
    new = {"password1": "Nouveau-Jardin-7", "password2": "Nouveau-Jardin-7"}
    for old in ["", "Wrong-Pass-1"]:
        response = client.post("/compte/password/change/", {"oldpassword": old, **new})
        assert response.status_code == 200
        assert ("Ce champ est obligatoire." if not old else "mot de passe actuel") in text(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_old_address_can_cancel_the_change_and_recover_the_account(client, parent, mailbox):
    user, _, _ = parent
    old = user.email
    with time_machine.travel(START, tick=False):
        change_email(client, mailbox, user)
    assert user.email == NEW
    notice = mailbox.last(old)
    assert notice["subject"] == "L'adresse e-mail de votre compte a été modifiée"
    assert NEW in notice["body"]
    assert (
        f"dans les 7 jours avec ce lien\u00a0: votre adresse {old} sera rétablie" in notice["body"]
    )
    assert [m["subject"] for m in mailbox.to(old)] == [notice["subject"]]  # not allauth's too
    cancel = path_of(link(notice, "/compte/email/annuler/"))
    # Only the token's hash is kept.
    assert cancel.split("/")[-2] not in str(list(EmailChange.objects.values()))

    with time_machine.travel(START + datetime.timedelta(days=6), tick=False):
        # Meanwhile, whoever holds the new address asks for a password reset link.
        client.logout()
        client.post("/compte/password/reset/", {"email": NEW})
        stolen_reset = path_of(link(mailbox.last(NEW), "/password/reset/key/"))
        assert "Ce lien n'est pas valide" not in text(client.get(stolen_reset, follow=True))
        page = client.get(cancel)
        assert page.status_code == 200 and old in text(page)
        assert User.objects.get(pk=user.pk).email == NEW  # a GET (mail scanner) changes nothing
        done = text(client.post(cancel))
        assert "choisissez-en un nouveau" in done.lower()

        user.refresh_from_db()
        assert user.email == old
        assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
            (old, True)
        ]
        assert AuditEvent.objects.filter(action="accounts.email_change_cancelled").exists()
        # The reset link sent to the new address no longer works...
        follow = text(client.get(stolen_reset, follow=True))
        assert "Ce lien n'est pas valide" in follow
        # ... and a new reset goes to the old address only.
        before = len(mailbox.to(NEW))
        client.post("/compte/password/reset/", {"email": NEW})
        client.post("/compte/password/reset/", {"email": old})
        assert len(mailbox.to(NEW)) == before
        assert "/password/reset/key/" in mailbox.last(old)["body"]
        # The link works once.
        assert client.get(cancel).status_code == 404


def test_the_cancel_link_expires_after_7_days(client, parent, mailbox):
    user, _, _ = parent
    with time_machine.travel(START, tick=False):
        _old, cancel = changed(client, mailbox, user)
    with time_machine.travel(START + datetime.timedelta(days=7, seconds=1), tick=False):
        assert client.get(cancel).status_code == 404
        assert client.post(cancel).status_code == 404
    assert User.objects.get(pk=user.pk).email == NEW


def test_cancelling_revokes_the_other_cancel_links_of_the_account(client, parent, mailbox):
    user, _, _ = parent
    old, first = changed(client, mailbox, user)
    # The new holder changes again, to an address of theirs; then the owner cancels.
    client.post(
        "/compte/email/", {"action_add": "", "email": "autre@example.test", "password": PASSWORD}
    )
    client.get(path_of(link(mailbox.last("autre@example.test"), "/confirm-email/")))
    second = path_of(link(mailbox.last(NEW), "/compte/email/annuler/"))
    client.post(first)
    assert User.objects.get(pk=user.pk).email == old
    # The intermediate address cannot take the account back with its own link.
    assert client.post(second).status_code == 404
    assert User.objects.get(pk=user.pk).email == old


def test_cancel_refused_when_the_old_address_went_to_another_account(client, parent, mailbox):
    user, _, _ = parent
    old, cancel = changed(client, mailbox, user)
    make_parent(username="squatter")
    User.objects.filter(username="squatter").update(email=old)
    assert "est maintenant utilisée par un autre compte" in text(client.post(cancel))
    assert User.objects.get(pk=user.pk).email == NEW


def test_an_unknown_cancel_link_is_404(client, db):
    assert client.get("/compte/email/annuler/nope/").status_code == 404


def test_closing_the_account_kills_its_cancel_links(client, parent, mailbox):
    from portail.accounts import services
    from tests.factories import AgentFactory

    user, _, _ = parent
    _old, cancel = changed(client, mailbox, user)
    closure = services.request_closure(user)
    services.confirm_closure(AgentFactory(), closure)
    assert not EmailChange.objects.exists()  # the addresses go with the account
    assert client.post(cancel).status_code == 404
    assert User.objects.get(pk=user.pk).email == ""
