"""Reads of the import pages."""

from django.core.cache import cache

from portail.families.models import Adult
from portail.imports.models import ExternalRef, ImportRun, Invitation


def progress_key(run_id: int) -> str:
    """The cache key of a running import's progress (written by the worker)."""
    return f"imports:progress:{run_id}"


def recent_runs(limit: int = 20):
    return ImportRun.objects.select_related("mapping", "created_by")[:limit]


def progress(run: ImportRun) -> int:
    """Lines done, from the worker's cache while its transaction is open."""
    if run.in_progress:
        return max(run.done, cache.get(progress_key(run.pk)) or 0)
    return run.done


def imported_adult_ids():
    return ExternalRef.objects.filter(target=ExternalRef.Target.ADULT).values("object_id")


def adults_without_email():
    """Imported adults the service must reach another way (letter, phone, at the desk)."""
    return (
        Adult.objects.filter(pk__in=imported_adult_ids(), email="", user=None)
        .select_related("household")
        .order_by("household__name", "last_name", "first_name")
    )


def invitations(state: str = ""):
    qs = Invitation.objects.select_related("adult__household", "adult__user")
    if state == "pending":
        qs = qs.filter(accepted_at=None)
    elif state == "accepted":
        qs = qs.exclude(accepted_at=None)
    return qs
