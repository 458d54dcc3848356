"""Writes on the family model. Other apps change a household only through these."""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from portail.core import clock
from portail.families.models import Household


def booking_block_reason(household: Household, today: datetime.date | None = None) -> str | None:
    """Why this household may not book or change bookings now, or None when it may.

    A prepaid account below zero for more than NEGATIVE_BALANCE_GRACE_DAYS days blocks bookings
    (never the login). Billing keeps `negative_balance_since` up to date.
    """
    since = household.negative_balance_since
    if since is None:
        return None
    today = today or clock.today()
    if (today - since).days > settings.NEGATIVE_BALANCE_GRACE_DAYS:
        return _(
            "Your prepaid account has been negative since %(date)s. Bookings are blocked until "
            "you top it up (« recharger mon compte » in « Paiements »)."
        ) % {"date": since.strftime("%d/%m/%Y")}
    return None


# --- profile (« Mon profil ») ---


# --- authorised persons and enrolment (procedures) ---
