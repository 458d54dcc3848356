from django.core.cache import cache

from portail.messaging.models import Message, OutboundEmail


def inbox(user):
    return Message.objects.filter(recipient=user)


UNREAD_SECONDS = 60


def unread_key(user_id) -> str:
    return f"messaging:unread:{user_id}"


def unread_count(user) -> int:
    """The menu's badge on every page: kept in the cache, forgotten whenever one of the user's
    messages is written or deleted (messaging.apps), and at most a minute old otherwise."""
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Message.objects.filter(recipient=user, read_at=None).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def sent_to(users, limit: int = 20):
    """The latest messages written to these users (the agents' family record)."""
    return Message.objects.filter(recipient__in=users).select_related("recipient")[:limit]


def existing_dedupe_keys(keys) -> set[str]:
    """Which of these e-mail keys were already used (a mail queued or sent for them)."""
    return set(
        OutboundEmail.objects.filter(dedupe_key__in=list(keys)).values_list("dedupe_key", flat=True)
    )
