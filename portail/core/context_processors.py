from portail.core.models import TownSettings


def portal(request):
    """The town's settings and the signed-in user's roles, for every template (the unread
    count comes from `messaging.context_processors.unread`: core does not import messaging)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "town": TownSettings.current(),
        "household": getattr(request, "household", None),
        "is_agent": signed_in and user.is_agent,
        # Agents, the cashier (régie) and administrators: the back-office menu, no parent menu.
        "is_staff_member": signed_in and (user.is_agent or user.is_cashier),
    }
