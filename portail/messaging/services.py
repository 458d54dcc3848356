"""The one way to tell someone something: `notify` (in-app message + e-mail) or `send_email`.

Both write rows in the caller's transaction; the e-mail leaves through a task after commit.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from portail.core import clock
from portail.messaging import delivery, tasks
from portail.messaging.models import Message, OutboundEmail


def send_email(
    to: str, subject: str, body: str, *, html_body: str = "", dedupe_key: str | None = None
) -> OutboundEmail | None:
    """Queue one e-mail. With `dedupe_key`, a second call for the same key sends nothing."""
    if not to:
        return None
    fields = {
        "to": to,
        "subject": subject.strip().replace("\n", " ")[:255],
        "body": body,
        "html_body": html_body,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "dedupe_key": dedupe_key,
    }
    if dedupe_key:
        try:
            with transaction.atomic():
                email = OutboundEmail.objects.create(**fields)
        except IntegrityError:
            return None
    else:
        email = OutboundEmail.objects.create(**fields)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def send_emails(mails: list[tuple[str, str, str]]) -> int:
    """Queue many e-mails at once, each (to, subject, body): an import's thousands of
    invitations in a few INSERTs, sent after commit by one task instead of one task each."""
    rows = OutboundEmail.objects.bulk_create(
        [
            OutboundEmail(
                to=to,
                subject=subject.strip().replace("\n", " ")[:255],
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
            )
            for to, subject, body in mails
            if to
        ],
        batch_size=1000,
    )
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: _enqueue_many(ids))
    return len(ids)


def send_email_message(msg) -> None:
    """Queue a Django EmailMessage (as built by allauth) through the outbound queue."""
    html = ""
    for content, mimetype in getattr(msg, "alternatives", []) or []:
        if mimetype == "text/html":
            html = content
    for to in msg.to:
        send_email(to, msg.subject, msg.body, html_body=html)


def notify(
    user, subject: str, body: str, *, link: str = "", email=True, dedupe_key=None
) -> Message:
    """Write an in-app message for `user` and, unless `email=False`, queue the same by e-mail."""
    message = Message.objects.create(recipient=user, subject=subject, body=body, link=link)
    if email and user.email:
        text = body
        if link:
            text = f"{body}\n\n{_absolute(link)}"
        send_email(user.email, subject, text, dedupe_key=dedupe_key)
    return message


def notify_household(household, subject: str, body: str, **kwargs) -> list[Message]:
    """Notify every adult of the household who holds an account."""
    key = kwargs.pop("dedupe_key", None)
    messages = []
    for adult in household.adults.select_related("user").exclude(user=None):
        user_key = f"{key}:{adult.user_id}" if key else None
        messages.append(notify(adult.user, subject, body, dedupe_key=user_key, **kwargs))
    return messages


def _absolute(link: str) -> str:
    if link.startswith("http"):
        return link
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}"


def _enqueue(email_id: int) -> None:
    tasks.deliver_email.enqueue(email_id)


def _enqueue_many(email_ids: list[int]) -> None:
    tasks.deliver_emails.enqueue(email_ids)


def retry_due(now=None) -> int:
    """Send again every e-mail whose retry time has come, and any left queued for 5 minutes."""
    now = now or clock.now()
    due = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.RETRY, next_attempt_at__lte=now
    ) | OutboundEmail.objects.filter(
        status=OutboundEmail.Status.QUEUED, created_at__lte=now - datetime.timedelta(minutes=5)
    )
    count = 0
    for pk in due.values_list("pk", flat=True):
        delivery.deliver(pk)
        count += 1
    return count


def mark_read(message: Message) -> None:
    if message.read_at is None:
        message.read_at = clock.now()
        message.save(update_fields=["read_at"])
