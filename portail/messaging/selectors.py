from portail.messaging.models import Message, OutboundEmail


def inbox(user):
    return Message.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at=None).count()


def sent_to(users, limit: int = 20):
    """The latest messages written to these users (the agents' family record)."""
    return Message.objects.filter(recipient__in=users).select_related("recipient")[:limit]


def existing_dedupe_keys(keys) -> set[str]:
    """Which of these e-mail keys were already used (a mail queued or sent for them)."""
    return set(
        OutboundEmail.objects.filter(dedupe_key__in=list(keys)).values_list("dedupe_key", flat=True)
    )
