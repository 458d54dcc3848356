"""The accounts' part of « Mes données »: the sign-in accounts of the household's adults."""

from allauth.account.models import EmailAddress

from portail.accounts.models import ClosureRequest, EmailChange, User


def export_household(household) -> dict:
    users = User.objects.filter(adult__household=household).order_by("pk")
    return {
        "accounts": [
            {
                "identifier": user.username,
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "created_at": user.date_joined,
                "last_login": user.last_login,
                "active": user.is_active,
                "email_addresses": [
                    {"email": a.email, "verified": a.verified, "primary": a.primary}
                    for a in EmailAddress.objects.filter(user=user)
                ],
                "email_changes": [
                    {
                        "old_email": c.old_email,
                        "new_email": c.new_email,
                        "changed_at": c.changed_at,
                        "cancelled_at": c.cancelled_at,
                    }
                    for c in EmailChange.objects.filter(user=user)
                ],
                "closure_requests": [
                    {"requested_at": c.requested_at, "confirmed_at": c.confirmed_at}
                    for c in ClosureRequest.objects.filter(user=user)
                ],
            }
            for user in users
        ]
    }
