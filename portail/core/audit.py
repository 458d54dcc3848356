from portail.core import clock
from portail.core.models import AuditEvent


def record(actor, action: str, obj, **data) -> AuditEvent:
    """Record an action on `obj` by `actor` (a user or None for the system)."""
    return AuditEvent.objects.create(
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )
