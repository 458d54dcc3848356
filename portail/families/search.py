"""The agents' search key of a household, pure functions (no ORM).

Every name, e-mail and phone number of a household (its name, adults, children, contacts) is
folded into one column, `Household.search_key`: lower case, accents removed, punctuation made
spaces, phone numbers as digits. A search folds the query the same way and looks for it inside
the key: « lea » finds « Léa », « 06.12 34 » finds « 06 12 34 56 78 », on SQLite and PostgreSQL
alike and with one scan of one table (no join). Parts are joined by « | », which no folded
query contains, so a match never spans two people.
"""

import re
import unicodedata

SEPARATOR = " | "
PHONE_QUERY = re.compile(r"\+?[\d .\-()/]+")
MIN_PHONE_DIGITS = 4


def fold(text: str) -> str:
    """« Léa-Marie  O'Neil » -> « lea marie o neil »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(re.sub(r"[^a-z0-9@]+", " ", plain).split())


def phone_digits(text: str) -> str:
    """« +33 6 12 34 56 78 » and « 06.12.34.56.78 » -> « 0612345678 »."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def is_phone_query(query: str) -> bool:
    query = (query or "").strip()
    return bool(PHONE_QUERY.fullmatch(query)) and len(phone_digits(query)) >= MIN_PHONE_DIGITS


def needle(query: str) -> str:
    """What to look for inside the key: the digits of a phone number, else the folded text."""
    return phone_digits(query) if is_phone_query(query) else fold(query)


def person_parts(first_name: str, last_name: str, email: str = "", phone: str = "") -> list[str]:
    parts = [fold(f"{first_name} {last_name}")]
    if email:
        parts.append(fold(email))
    if phone:
        parts.append(phone_digits(phone))
    return parts


def household_key(name: str, adults=(), children=(), contacts=()) -> str:
    """adults: (first, last, email, phone); children: (first, last); contacts: values."""
    parts = [fold(name)]
    for first, last, email, phone in adults:
        parts += person_parts(first, last, email, phone)
    for first, last in children:
        parts += person_parts(first, last)
    for value in contacts:
        parts.append(fold(value) if "@" in value else phone_digits(value))
    return SEPARATOR.join(p for p in parts if p)


def matches(query: str, text: str, phone: bool = False) -> bool:
    """Whether one person's field matches the query the way the key does."""
    wanted = needle(query)
    if not wanted:
        return False
    if is_phone_query(query):
        return phone and wanted in phone_digits(text)
    return wanted in fold(text)


def stale_keys(models, household_ids) -> list:
    """The households among `household_ids` whose key changed, with the new key set. The one
    reader of the rows, given the models (Household, Adult, Child, Contact) so that the
    migration that fills the keys passes its historical ones. Four queries."""
    Household, Adult, Child, Contact = models
    adults, children, contacts = {}, {}, {}
    for row in (
        Adult.objects.filter(household_id__in=household_ids)
        .order_by("pk")
        .values_list("household_id", "first_name", "last_name", "email", "phone")
    ):
        adults.setdefault(row[0], []).append(row[1:])
    for row in (
        Child.objects.filter(household_id__in=household_ids)
        .order_by("pk")
        .values_list("household_id", "first_name", "last_name")
    ):
        children.setdefault(row[0], []).append(row[1:])
    for pk, value in Contact.objects.filter(household_id__in=household_ids).values_list(
        "household_id", "value"
    ):
        contacts.setdefault(pk, []).append(value)
    stale = []
    for household in Household.objects.filter(pk__in=household_ids).only(
        "pk", "name", "search_key"
    ):
        pk = household.pk
        key = household_key(
            household.name, adults.get(pk, ()), children.get(pk, ()), contacts.get(pk, ())
        )
        if key != household.search_key:
            household.search_key = key
            stale.append(household)
    return stale
