from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portail.core import audit, clock
from portail.core.models import TownSettings
from portail.messaging.services import send_email
from portail.pages.models import ContactMessage, ContactReply


@transaction.atomic
def submit_contact(
    *, name: str, email: str, phone: str, subject: str, body: str
) -> ContactMessage:  # fmt: skip
    """Store the message and forward it to the service's mailbox. The mail's subject is ours:
    nothing typed by the sender goes into a header."""
    message = ContactMessage.objects.create(
        name=name, email=email, phone=phone, subject=subject, body=body
    )
    town = TownSettings.current()
    send_email(
        town.email,
        _("[Contact] Message no. %(number)s from the portal") % {"number": message.pk},
        _("From: %(name)s <%(email)s> %(phone)s\nSubject: %(subject)s\n\n%(body)s")
        % {
            "name": message.name,
            "email": message.email,
            "phone": message.phone,
            "subject": message.subject,
            "body": message.body,
        },
    )
    return message


@transaction.atomic
def reply_to_contact(message: ContactMessage, agent, body: str) -> ContactReply:
    """Answer the sender by e-mail (the notify path's queue) and keep the answer with the
    message, which is then « traité ». The subject is ours: nothing the sender typed goes
    into a header."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Answer to your message no. %(number)s to the school service") % {
            "number": message.pk
        }
        quoted = "\n".join(f"> {line}" for line in message.body.splitlines())
        text = _("%(body)s\n\n%(signature)s\n\n--- Your message of %(date)s:\n%(quoted)s") % {
            "body": body.strip(),
            "signature": _("The school service"),
            "date": message.created_at.astimezone(clock.PARIS).strftime("%d/%m/%Y %H:%M"),
            "quoted": quoted,
        }
    send_email(message.email, subject, text)
    reply = ContactReply.objects.create(
        message=message,
        author=agent,
        author_name=agent.get_full_name() or agent.get_username(),
        to=message.email,
        subject=subject,
        body=body.strip(),
    )
    audit.record(agent, "pages.contact_reply", message, reply=reply.pk, to=message.email)
    if message.handled_at is None:
        mark_contact_handled(message, agent)
    return reply


@transaction.atomic
def mark_contact_handled(message: ContactMessage, agent) -> None:
    """« Traité »: who and when. Marking it again changes nothing."""
    updated = ContactMessage.objects.filter(pk=message.pk, handled_at=None).update(
        handled_at=clock.now(), handled_by=agent
    )
    if updated:
        audit.record(agent, "pages.contact_handled", message)
    message.refresh_from_db(fields=["handled_at", "handled_by"])


@transaction.atomic
def reopen_contact(message: ContactMessage, agent) -> None:
    """Back to « à traiter » (marked by mistake, or the sender wrote again)."""
    if (
        ContactMessage.objects.filter(pk=message.pk)
        .exclude(handled_at=None)
        .update(handled_at=None, handled_by=None)
    ):
        audit.record(agent, "pages.contact_reopened", message)
    message.refresh_from_db(fields=["handled_at", "handled_by"])
