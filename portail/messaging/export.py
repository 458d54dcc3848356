"""The messages' part of « Mes données »: what the portal told the household's adults."""

from portail.messaging.models import Message


def export_household(household) -> dict:
    return {
        "messages": [
            {
                "to": m.recipient.username,
                "subject": m.subject,
                "body": m.body,
                "sent_at": m.created_at,
                "read_at": m.read_at,
            }
            for m in Message.objects.filter(recipient__adult__household=household)
            .select_related("recipient")
            .order_by("created_at")
        ]
    }
