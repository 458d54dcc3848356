"""Reads of the contact messages (agents' side)."""

from django.db.models import Q

from portail.pages.models import ContactMessage


def contact_messages(state=None, q=None, since=None, until=None):
    """Contact messages: those to handle by default, « handled » ones, or all."""
    qs = ContactMessage.objects.select_related("handled_by")
    if state == "handled":
        qs = qs.exclude(handled_at=None)
    elif state != "all":
        qs = qs.filter(handled_at=None)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q) | Q(subject__icontains=q))
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs


def unhandled_count() -> int:
    return ContactMessage.objects.filter(handled_at=None).count()
