from django.db.models import Q

from portail.families.models import Child, Household, School


def children_of(household: Household):
    return Child.objects.filter(household=household).select_related("school")


def households():
    """Every household with its adults, contacts and children (partner API)."""
    return Household.objects.prefetch_related(
        "adults", "contacts", "children", "children__school"
    ).order_by("pk")


def children(school_id=None):
    qs = Child.objects.select_related("school").order_by("pk")
    if school_id is not None:
        qs = qs.filter(school_id=school_id)
    return qs


def household_by_id(pk):
    return households().filter(pk=pk).first()


def child_by_id(pk):
    return Child.objects.select_related("school").filter(pk=pk).first()


def school_by_id(pk):
    return School.objects.filter(pk=pk).first()


def schools():
    return School.objects.order_by("name", "pk")


def household_ids_of(user) -> list[int]:
    """The households where the user is an adult."""
    return list(Household.objects.filter(adults__user=user).values_list("pk", flat=True))


def search_households(query: str):
    """The agents' household search: family name, an adult's last name or a child's first
    name containing `query` (none for an empty query). The caller slices."""
    query = (query or "").strip()
    if not query:
        return Household.objects.none()
    return Household.objects.filter(
        Q(name__icontains=query)
        | Q(adults__last_name__icontains=query)
        | Q(children__first_name__icontains=query)
    ).distinct()
