from portail.messaging.models import Message


def inbox(user):
    return Message.objects.filter(recipient=user)


UNREAD_SECONDS = 60


def unread_key(user_id) -> str:
    return f"messaging:unread:{user_id}"


def unread_count(user) -> int:
    """The menu's badge on every page: kept in the cache, forgotten whenever one of the user's
    messages is written or deleted (messaging.apps), and at most a minute old otherwise."""
    from django.core.cache import cache

    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Message.objects.filter(recipient=user, read_at=None).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count
