import dataclasses

from portail.families import search
from portail.families.models import Child, Contact, Household, School


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
    """THE agents' household search (the record's search field, the documents' and the cash
    desk's searches): any name of the household, of an adult or a child, an e-mail or a phone
    number, accents, case and phone punctuation ignored (`families.search`). None for an
    empty query; the caller slices."""
    wanted = search.needle(query)
    if not wanted:
        return Household.objects.none()
    return Household.objects.filter(search_key__contains=wanted).order_by("name", "pk")


@dataclasses.dataclass
class SearchHit:
    household: Household
    matched: list[str]  # what matched: « Léa Martin (enfant) », « 06 12 34 56 78 »...


def search_hits(query: str, limit: int = 50) -> tuple[list[SearchHit], int]:
    """The first `limit` households the search finds, each with what matched, and the total."""
    # One scan of the table: every matching id (a few thousand at most), then the first ones.
    ids = list(search_households(query).values_list("pk", flat=True))
    households = list(
        Household.objects.filter(pk__in=ids[:limit])
        .order_by("name", "pk")
        .prefetch_related("adults", "children__school", "contacts")
    )
    return [SearchHit(h, _what_matched(h, query)) for h in households], len(ids)


def _what_matched(household: Household, query: str) -> list[str]:
    matched = []
    if search.matches(query, household.name):
        matched.append(household.name)
    for adult in household.adults.all():
        name = f"{adult.first_name} {adult.last_name}"
        if search.matches(query, name):
            matched.append(name)
        if adult.email and search.matches(query, adult.email):
            matched.append(adult.email)
        if adult.phone and search.matches(query, adult.phone, phone=True):
            matched.append(adult.phone)
    for child in household.children.all():
        name = f"{child.first_name} {child.last_name}"
        if search.matches(query, name):
            matched.append(name)
    for contact in household.contacts.all():
        is_phone = contact.channel == Contact.Channel.PHONE
        if search.matches(query, contact.value, phone=is_phone):
            matched.append(contact.value)
    return list(dict.fromkeys(matched))
