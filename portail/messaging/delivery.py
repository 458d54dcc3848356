"""Sending one queued e-mail (the task's work and the retries'); services queue, this sends."""

import datetime

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from portail.core import clock
from portail.messaging.models import OutboundEmail


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8... minutes, at most 6 hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def deliver(email_id: int) -> str:
    """Send one queued e-mail; idempotent (a sent one is not sent again)."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status in (
            OutboundEmail.Status.SENT,
            OutboundEmail.Status.FAILED,
        ):
            return "skipped"
        message = EmailMultiAlternatives(
            email.subject, email.body, email.from_email or None, [email.to]
        )
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:  # any transport failure: keep it and try again later
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= OutboundEmail.MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
                email.next_attempt_at = None
            else:
                email.status = OutboundEmail.Status.RETRY
                email.next_attempt_at = clock.now() + backoff(email.attempts)
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = clock.now()
            email.next_attempt_at = None
            email.last_error = ""
        email.save()
        return email.status
