from portail.core.models import TownSettings


def portal(request):
    """The town's settings, the signed-in user's roles and unread count, for every template."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    unread = 0
    if signed_in:
        from portail.messaging.selectors import unread_count

        unread = unread_count(user)
    return {
        "town": TownSettings.current(),
        "household": getattr(request, "household", None),
        "is_agent": signed_in and user.is_agent,
        "unread_messages": unread,
    }
