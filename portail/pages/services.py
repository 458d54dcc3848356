from django.db import transaction
from django.utils.translation import gettext as _

from portail.core.models import TownSettings
from portail.messaging.services import send_email
from portail.pages.models import ContactMessage


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
