from portail.messaging.selectors import unread_count


def unread(request):
    """The signed-in user's unread messages, for the menu of every page."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"unread_messages": 0}
    return {"unread_messages": unread_count(user)}
