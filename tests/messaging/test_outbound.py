import datetime

import pytest
import time_machine
from django.db import transaction

from portail.messaging import delivery, services
from portail.messaging.models import Message, OutboundEmail
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_notify_writes_message_and_sends_mail_after_commit(mailbox):
    user = UserFactory(email="parent@example.test")
    with transaction.atomic():
        services.notify(user, "Demande reçue", "Votre demande est enregistrée.")
        assert len(mailbox) == 0  # nothing leaves before commit
    assert Message.objects.get(recipient=user).subject == "Demande reçue"
    mail = mailbox.last("parent@example.test")
    assert mail["subject"] == "Demande reçue"
    assert "Votre demande est enregistrée." in mail["body"]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing(mailbox):
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(user, "Sujet", "Corps")
        raise RuntimeError
    assert not Message.objects.exists()
    assert len(mailbox) == 0


@pytest.mark.django_db(transaction=True)
def test_failing_mail_server_delays_without_losing(settings, mailbox):
    user = UserFactory(email="parent@example.test")
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the send fails
    with transaction.atomic():
        services.notify(user, "Sujet", "Corps")
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.RETRY
    assert email.attempts == 1 and email.last_error
    assert Message.objects.filter(recipient=user).exists()  # the parent still sees the message

    settings.EMAIL_PORT = real_port
    assert services.retry_due() == 0  # not due yet
    with time_machine.travel(email.next_attempt_at + datetime.timedelta(seconds=1)):
        assert services.retry_due() == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mailbox.to("parent@example.test")) == 1
    assert services.retry_due() == 0
    assert delivery.deliver(email.pk) == "skipped"  # never twice
    assert len(mailbox) == 1


@pytest.mark.django_db
def test_same_change_is_mailed_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user, "Sujet", "Corps", dedupe_key="request-1-closed")
        services.notify(user, "Sujet", "Corps", dedupe_key="request-1-closed")
    assert OutboundEmail.objects.count() == 1


def test_backoff_grows_and_is_bounded():
    assert delivery.backoff(1) == datetime.timedelta(minutes=1)
    assert delivery.backoff(4) == datetime.timedelta(minutes=8)
    assert delivery.backoff(30) == datetime.timedelta(hours=6)
