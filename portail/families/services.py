"""Writes on the family model. Other apps change a household only through these."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from psycopg import sql

from portail.core import clock
from portail.core.audit import record
from portail.core.models import TownSettings
from portail.families import search
from portail.families.models import Adult, AuthorizedPickup, Child, Contact, Household
from portail.messaging.services import notify_household


def booking_block_reason(household: Household, today: datetime.date | None = None) -> str | None:
    """Why this household may not create bookings now, or None when it may. Cancelling is
    never blocked, nor the login.

    Billing keeps `negative_balance_since` and `has_credit` up to date in the transaction that
    moves the balance. A balance below zero for more than NEGATIVE_BALANCE_GRACE_DAYS days
    blocks; when the town requires credit before booking (FAQ §5), so does a balance of zero or
    less, except during that grace period (a new family at 0,00 € has none).
    """
    today = today or clock.today()
    since = household.negative_balance_since
    in_grace = since is not None and (today - since).days <= settings.NEGATIVE_BALANCE_GRACE_DAYS
    if since is not None and not in_grace:
        return _(
            "Your prepaid account has been negative since %(date)s: new bookings are blocked "
            "until you top it up."
        ) % {"date": since.strftime("%d/%m/%Y")}
    if not household.has_credit and not in_grace and TownSettings.current().credit_required_to_book:
        return _(
            "Your prepaid account has no credit (balance of 0,00 € or less): it must be "
            "credited before you can book."
        )
    return None


# --- the agents' search key (families.search) ---


def refresh_search_keys(household_ids, chunk=500) -> None:
    """Recompute `Household.search_key` of these households from their names, adults,
    children and contacts. Called after every write on them (signals for single saves, the
    bulk paths directly): four reads and one update per chunk."""
    ids = sorted({pk for pk in household_ids if pk})
    models = (Household, Adult, Child, Contact)
    for start in range(0, len(ids), chunk):
        Household.objects.bulk_update(
            search.stale_keys(models, ids[start : start + chunk]), ["search_key"]
        )


# --- profile (« Mon profil ») ---

PROFILE_HOUSEHOLD_FIELDS = ("address_line1", "address_line2", "postcode", "city")


def record_balance_changes(
    below: dict[datetime.date, list[int]], back: list[int], credit: dict[bool, list[int]], chunk=500
) -> None:
    """Mirror billing's balance moves on the households (called by `billing.services.
    move_balances` only, in its transaction): `below` {day: ids} went negative that day, `back`
    ids are at zero or more again, `credit` {has_credit: ids}. A few statements per chunk."""
    for day, ids in below.items():
        for start in range(0, len(ids), chunk):
            Household.objects.filter(pk__in=ids[start : start + chunk]).update(
                negative_balance_since=day
            )
    for start in range(0, len(back), chunk):
        Household.objects.filter(pk__in=back[start : start + chunk]).update(
            negative_balance_since=None
        )
    for has_credit, ids in credit.items():  # credit before booking (families.services)
        for start in range(0, len(ids), chunk):
            Household.objects.filter(pk__in=ids[start : start + chunk]).update(
                has_credit=has_credit
            )


@transaction.atomic
def create_household_for_signup(
    user,
    *,
    first_name: str,
    last_name: str,
    phone: str,
    address_line1: str,
    address_line2: str = "",
    postcode: str,
    city: str,
) -> Household:
    """The household created with a new account: the account holder is its first adult."""
    household = Household.objects.create(
        name=_("%(last_name)s family") % {"last_name": last_name},
        address_line1=address_line1,
        address_line2=address_line2,
        postcode=postcode,
        city=city,
    )
    Adult.objects.create(
        household=household,
        user=user,
        first_name=first_name,
        last_name=last_name,
        email=user.email,
        phone=phone,
    )
    return household


def _locked(household: Household) -> Household:
    return Household.objects.select_for_update().get(pk=household.pk)


@transaction.atomic
def update_household_address(household: Household, data: dict) -> Household:
    household = _locked(household)
    for field in PROFILE_HOUSEHOLD_FIELDS:
        if field in data:
            setattr(household, field, data[field])
    household.save(update_fields=[f for f in PROFILE_HOUSEHOLD_FIELDS if f in data])
    return household


def _save_member(model, household, instance, data, fields):
    _locked(household)
    if instance is None:
        instance = model(household=household)
    elif instance.household_id != household.pk:
        raise model.DoesNotExist
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    instance.full_clean()
    instance.save()
    return instance


ADULT_FIELDS = ("first_name", "last_name", "relationship", "email", "phone")
CHILD_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "school",
    "level",
    "no_pork",
    "gluten_free",
    "allergies",
    "has_pai",
)
CONTACT_FIELDS = ("channel", "value", "label")


@transaction.atomic
def save_adult(household: Household, data: dict, adult: Adult | None = None) -> Adult:
    """Add or edit an adult of the household; the account holder's name follows on the user."""
    adult = _save_member(Adult, household, adult, data, ADULT_FIELDS)
    if adult.user_id:
        user = adult.user
        user.first_name, user.last_name = adult.first_name, adult.last_name
        user.save(update_fields=["first_name", "last_name"])
    return adult


@transaction.atomic
def save_child(household: Household, data: dict, child: Child | None = None) -> Child:
    return _save_member(Child, household, child, data, CHILD_FIELDS)


@transaction.atomic
def save_contact(household: Household, data: dict, contact: Contact | None = None) -> Contact:
    return _save_member(Contact, household, contact, data, CONTACT_FIELDS)


@transaction.atomic
def delete_contact(household: Household, contact: Contact) -> None:
    _locked(household)
    Contact.objects.filter(pk=contact.pk, household=household).delete()


# --- authorised persons and enrolment (procedures) ---


def set_authorized_pickups(child, persons: list[dict]):
    """Replace the child's list of persons authorised to collect them (closing the procedure).
    Each person: first_name, last_name, relationship, phone."""
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


# --- the town's other software (partner API) ---


def _change_audited(locked, data: dict, allowed, action: str, actor, via: str):
    """Set the `allowed` keys of `data` on the locked row, validate, save and audit them; `via`
    names the partner software when the change comes through the API. Nothing given, nothing
    written nor recorded."""
    fields = [f for f in allowed if f in data]
    if not fields:
        return locked
    for field in fields:
        setattr(locked, field, data[field])
    locked.full_clean()
    locked.save(update_fields=fields)
    changes = {f: (data[f].pk if hasattr(data[f], "pk") else data[f]) for f in fields}
    record(actor, action, locked, via=via, changes=changes)
    return locked


@transaction.atomic
def update_household_details(
    household: Household, data: dict, *, actor=None, via: str = ""
) -> Household:
    """Change a household's address (only the fields given), validated and audited."""
    return _change_audited(
        _locked(household), data, PROFILE_HOUSEHOLD_FIELDS, "household.updated", actor, via
    )


@transaction.atomic
def add_contact(household: Household, data: dict, *, actor=None, via: str = "") -> Contact:
    """A phone number or e-mail address added to the household, validated and audited."""
    if data.get("channel") == Contact.Channel.EMAIL:
        try:
            validate_email(data.get("value", ""))
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc
    contact = save_contact(household, data)
    record(actor, "household.contact_added", household, via=via, changes=dict(data))
    return contact


@transaction.atomic
def update_child_schooling(child: Child, data: dict, *, actor=None, via: str = "") -> Child:
    """Change a child's school and/or class level (only the keys given), audited."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    return _change_audited(locked, data, ("school", "level"), "child.schooling_updated", actor, via)


# --- import from the previous software (imports app) ---

IMPORT_BATCH = 1000


def _import_rows(model, creates: list[dict], updates: list[tuple], fields) -> list:
    created = model.objects.bulk_create(
        [model(**data) for data in creates], batch_size=IMPORT_BATCH
    )
    changed = set()
    objects = []
    for instance, data in updates:
        for field, value in data.items():
            setattr(instance, field, value)
            changed.add(field)
        objects.append(instance)
    if objects:
        model.objects.bulk_update(objects, sorted(changed & set(fields)), batch_size=IMPORT_BATCH)
    # Bulk writes send no signal: the search keys of the households touched, here.
    touched = [getattr(o, "household_id", None) or o.pk for o in [*created, *objects]]
    refresh_search_keys(touched)
    return created


@transaction.atomic
def import_households(creates: list[dict], updates: list[tuple]) -> list[Household]:
    """Create households (dicts of fields) and update others ((household, changed fields)), in
    bulk: a town's thousands of families in a few statements. The caller validated the values."""
    fields = ("name", *PROFILE_HOUSEHOLD_FIELDS, "family_quotient")
    return _import_rows(Household, creates, updates, fields)


@transaction.atomic
def import_adults(creates: list[dict], updates: list[tuple]) -> list[Adult]:
    return _import_rows(Adult, creates, updates, ADULT_FIELDS)


@transaction.atomic
def import_children(creates: list[dict], updates: list[tuple]) -> list[Child]:
    return _import_rows(Child, creates, updates, CHILD_FIELDS)


@transaction.atomic
def link_account(adult: Adult, user) -> Adult:
    """An invited adult's new account becomes theirs (the household was imported before)."""
    adult = Adult.objects.select_for_update().get(pk=adult.pk)
    if adult.user_id:
        raise ValueError("adult already has an account")
    adult.user = user
    adult.save(update_fields=["user"])
    return adult


def link_accounts(accounts: dict[int, int]) -> None:
    """Bulk link {adult id: user id} (the synthetic town's account holders, `seed_town`)."""
    pairs = list(accounts.items())
    if connection.vendor != "postgresql":
        adults = [Adult(pk=adult_id, user_id=user_id) for adult_id, user_id in pairs]
        Adult.objects.bulk_update(adults, ["user"], batch_size=1000)
        return
    # One UPDATE … FROM (VALUES …) per 5,000 adults: 15 times faster than bulk_update's CASE.
    query = sql.SQL(
        "UPDATE {table} SET {column} = v.user_id FROM (VALUES {values}) AS v(adult_id, user_id) "
        "WHERE {table}.id = v.adult_id"
    )
    table = sql.Identifier(Adult._meta.db_table)
    column = sql.Identifier(Adult._meta.get_field("user").column)
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 5000):
            chunk = pairs[start : start + 5000]
            values = sql.SQL(", ").join([sql.SQL("(%s, %s)")] * len(chunk))
            cursor.cursor.execute(  # psycopg's own cursor, for the composed query
                query.format(table=table, column=column, values=values),
                [value for pair in chunk for value in pair],
            )


def forget_account(user) -> Household | None:
    """A closed account: its adults stay as names on the household's records but lose the link
    and their contact data. Returns the household the account held (or None)."""
    household = Household.objects.filter(adults__user=user).first()
    Adult.objects.filter(user=user).update(user=None, email="", phone="")
    if household is not None:  # the erased e-mail and phone no longer find the family
        refresh_search_keys([household.pk])
    return household


def delete_households_without_account(household_ids) -> list[Household]:
    """Delete those households that no account holds any more; returns those kept because they
    have money history (PROTECTed by the ledger)."""
    kept = []
    for household in Household.objects.filter(pk__in=household_ids):
        if not household.adults.exclude(user=None).exists():
            try:
                with transaction.atomic():
                    household.delete()
            except ProtectedError:
                kept.append(household)
    return kept


# --- the agents' family record (/gestion/familles/<id>/) ---


def _apply_changes(instance, data: dict, fields) -> dict:
    """Set, validate and save the given `fields` of `data` whose value differs on the locked
    `instance`; returns {field: [before, after]} (empty: nothing written)."""
    changes = {}
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            changes[field] = [getattr(instance, field), data[field]]
    if changes:
        for field in changes:
            setattr(instance, field, data[field])
        instance.full_clean()
        instance.save(update_fields=list(changes))
    return changes


def _tell_parents(household: Household, subject: str, body: str) -> None:
    notify_household(household, subject, body, link=reverse("accounts:profile"))


def _tell_details_corrected(household: Household, name) -> None:
    _tell_parents(
        household,
        _("Your contact details were updated"),
        _(
            "The school service corrected the details of %(name)s. Check them in « My "
            "profile »; if they are wrong, tell the service."
        )
        % {"name": name},
    )


@transaction.atomic
def agent_update_address(household: Household, data: dict, *, actor) -> Household:
    """An agent corrects the household's postal address; the parents are told."""
    household = _locked(household)
    changes = _apply_changes(household, data, PROFILE_HOUSEHOLD_FIELDS)
    if not changes:
        return household
    record(actor, "household.address_corrected", household, changes=changes)
    _tell_parents(
        household,
        _("Your address was updated"),
        _(
            "The school service corrected your household's address. Check it in « My "
            "profile »; if it is wrong, tell the service."
        ),
    )
    return household


AGENT_ADULT_FIELDS = ("last_name", "first_name", "relationship", "email", "phone")


@transaction.atomic
def agent_update_adult(adult: Adult, data: dict, *, actor) -> Adult:
    """An agent corrects an adult's name, phone or e-mail (the account holder's sign-in e-mail
    is the parent's to change: it is not touched); the parents are told."""
    household = _locked(adult.household)
    adult = Adult.objects.select_for_update().get(pk=adult.pk, household=household)
    fields = [f for f in AGENT_ADULT_FIELDS if not (f == "email" and adult.user_id)]
    changes = _apply_changes(adult, data, fields)
    if not changes:
        return adult
    if adult.user_id and ({"first_name", "last_name"} & set(changes)):
        user = adult.user
        user.first_name, user.last_name = adult.first_name, adult.last_name
        user.save(update_fields=["first_name", "last_name"])
    record(actor, "adult.corrected", adult, name=str(adult), changes=changes)
    _tell_details_corrected(household, adult)
    return adult


@transaction.atomic
def agent_set_family_quotient(
    household: Household, quotient: int | None, *, actor, proof=None
) -> Household:
    """An agent sets the family quotient from its proof, a document of the household (`proof`:
    the document, checked by the caller to be the household's; its id and name are kept in the
    audit trail). The parents are told: their prices may change."""
    household = _locked(household)
    before = household.family_quotient
    household.family_quotient = quotient
    household.full_clean()
    household.save(update_fields=["family_quotient"])
    record(
        actor,
        "household.quotient_set",
        household,
        before=before,
        after=quotient,
        proof=proof.pk if proof is not None else None,
        proof_name=str(proof) if proof is not None else "",
    )
    _tell_parents(
        household,
        _("Your family quotient was updated"),
        _("The school service recorded your family quotient: %(quotient)s. Prices follow it.")
        % {"quotient": quotient if quotient is not None else pgettext("family quotient", "none")},
    )
    return household


@transaction.atomic
def agent_save_contact(
    household: Household, data: dict, *, actor, contact: Contact | None = None
) -> Contact:
    """An agent adds or corrects one of the household's other phones or e-mails (validated
    by the caller's form, « Mon profil »'s rules); audited, the parents told."""
    household = _locked(household)
    if contact is None:
        contact = save_contact(household, data)
        changes = {f: [None, data[f]] for f in CONTACT_FIELDS if data.get(f)}
    else:
        contact = Contact.objects.select_for_update().get(pk=contact.pk, household=household)
        changes = _apply_changes(contact, data, CONTACT_FIELDS)
        if not changes:
            return contact
    record(actor, "household.contact_corrected", household, changes=changes)
    _tell_details_corrected(household, household.name)
    return contact


AGENT_CHILD_FIELDS = ("level", "has_pai", "allergies", "no_pork", "gluten_free")


@transaction.atomic
def agent_update_child(child: Child, data: dict, *, actor) -> Child:
    """An agent corrects a child's class level, PAI or allergies (the school change is an
    agenda action: it moves the bookings); the parents are told."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    changes = _apply_changes(locked, data, AGENT_CHILD_FIELDS)
    if not changes:
        return locked
    record(actor, "child.corrected", locked, name=str(locked), changes=changes)
    _tell_parents(
        locked.household,
        _("The details of %(name)s were updated") % {"name": locked.first_name},
        _(
            "The school service corrected the class level or the health details of %(name)s. "
            "Check them in « My profile »; if they are wrong, tell the service."
        )
        % {"name": locked},
    )
    return locked
