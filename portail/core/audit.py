from portail.core import clock
from portail.core.models import AuditEvent


def household_of(obj) -> int | None:
    """The family an audited object belongs to, read without importing families (core is
    below it): the household itself, a row with a `household_id` (adult, child, document,
    request, receipt), a ledger entry through its account, an account holder's user through
    their adult, an invitation through its adult."""
    if obj is None:
        return None
    if obj._meta.label_lower == "families.household":
        return obj.pk
    if getattr(obj, "household_id", None):
        return obj.household_id
    for link in ("account", "adult"):
        # A missing one-to-one raises an AttributeError too: the default applies.
        related = getattr(obj, link, None)
        if related is not None and getattr(related, "household_id", None):
            return related.household_id
    return None


def record(actor, action: str, obj, *, household=None, **data) -> AuditEvent:
    """Record an action on `obj` by `actor` (a user or None for the system). `household` (a
    household or its id) names the family when `obj` does not lead to it."""
    if household is not None and not isinstance(household, int):
        household = household.pk
    return AuditEvent.objects.create(
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        household_id=household if household is not None else household_of(obj),
        data=data,
    )
