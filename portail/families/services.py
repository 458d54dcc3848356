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


def set_authorized_pickups(child, persons: list[dict]):
    """Replace the child's list of persons authorised to collect them (closing the procedure).
    Each person: first_name, last_name, relationship, phone."""
    from django.db import transaction

    from portail.families.models import AuthorizedPickup, Child

    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        child.authorized_pickups.all().delete()
        AuthorizedPickup.objects.bulk_create(
            AuthorizedPickup(
                child=child,
                first_name=p["first_name"].strip(),
                last_name=p["last_name"].strip(),
                relationship=p["relationship"].strip(),
                phone=p["phone"].strip(),
            )
            for p in persons
        )
    return list(child.authorized_pickups.all())


def enrol_child(
    household, *, child=None, school, level, first_name="", last_name="", birth_date=None
):
    """Enrol a child at a school and class level (closing « Inscription scolaire »): the existing
    child of the household, or a new one created from the given names and birth date."""
    from django.db import transaction

    from portail.families.models import Child

    with transaction.atomic():
        if child is None:
            child = Child.objects.create(
                household=household,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                birth_date=birth_date,
            )
        else:
            child = Child.objects.select_for_update().get(pk=child.pk, household=household)
        child.school = school
        child.level = level
        child.save(update_fields=["school", "level"])
    return child
