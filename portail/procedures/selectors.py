"""Reads on requests, scoped to a household for parents."""

from django.db.models import Count, Q

from portail.core import clock
from portail.families.scoping import get_for_household
from portail.procedures.models import ServiceRequest, Status


def requests_of(household, status: str | None = None):
    qs = ServiceRequest.objects.filter(household=household)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def request_of(household, pk) -> ServiceRequest:
    """The household's request, or 404 for anyone else's."""
    return get_for_household(ServiceRequest, household, pk)


def queue(status=None, kind=None, since=None, until=None, q=None):
    """The agents' queue: submitted requests (no drafts), oldest waiting first."""
    qs = ServiceRequest.objects.exclude(status=Status.DRAFT, reference=None).select_related(
        "household"
    )
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=[Status.PENDING, Status.PROCESSING])
    if kind:
        qs = qs.filter(kind=kind)
    qs = qs.filter(clock.on_days("submitted_at", since, until))
    if q:
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(household__name__icontains=q)
            | Q(contact_name__icontains=q)
        )
    return qs.order_by("submitted_at", "pk")


def waiting_counts(new_since=None) -> dict:
    """The agents' work waiting, in one query: requests pending, processing, and pending ones
    submitted after `new_since` (all pending when None: the agent never looked)."""
    new = Q(status=Status.PENDING)
    if new_since is not None:
        new &= Q(submitted_at__gt=new_since)
    return ServiceRequest.objects.filter(status__in=[Status.PENDING, Status.PROCESSING]).aggregate(
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        processing=Count("pk", filter=Q(status=Status.PROCESSING)),
        new=Count("pk", filter=new),
    )
