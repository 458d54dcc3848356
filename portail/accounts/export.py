"""The accounts' part of « Mes données »: the sign-in accounts of the household's adults."""

from allauth.account.models import EmailAddress

from portail.accounts.models import ClosureRequest, User


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
                "closure_requests": [
                    {"requested_at": c.requested_at, "confirmed_at": c.confirmed_at}
                    for c in ClosureRequest.objects.filter(user=user)
                ],
            }
            for user in users
        ]
    }
