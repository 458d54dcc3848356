"""Runs of the import (what the `run_import` task executes): read the file, check every line,
then apply the whole file in ONE transaction through the services of families, billing and agenda.
The dry run is the same work rolled back, so what it announces is exactly what the confirmed run
does; the confirmed run is rolled back as well when a single line is refused. Idempotent: each
object keeps the previous software's id (ExternalRef), a second run finds it and changes only
what differs. `services` starts and confirms runs and queues the task, which imports this module."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portail.agenda import services as agenda_services
from portail.agenda.models import Activity
from portail.billing import services as billing_services
from portail.billing.models import LedgerEntry
from portail.core import audit, clock
from portail.core.money import format_eur
from portail.families import services as family_services
from portail.families.models import Adult, Child, Household, School
from portail.imports import reading, schema
from portail.imports.invitations import invite_adults
from portail.imports.models import ExternalRef, ImportRun, Invitation
from portail.imports.selectors import progress_key

logger = logging.getLogger(__name__)
Ref = ExternalRef.Target
OPENING_LABEL = "Solde repris"


class _Rollback(Exception):
    """Undo the run's transaction (dry run, or a refused line)."""


def _progress(run: ImportRun, done: int) -> None:
    # Read by the page while the run's transaction is open (its rows are not visible yet);
    # before it opens, also kept on the run (seen without a cache shared with the worker).
    cache.set(progress_key(run.pk), done, 3600)
    if not transaction.get_connection().in_atomic_block:
        ImportRun.objects.filter(pk=run.pk).update(done=done, total=run.total)


def execute(run_id: int, confirm: bool) -> ImportRun:
    """Check (dry run) or write (confirm) the run's file; refuses the whole file on one error."""
    run = ImportRun.objects.select_related("mapping", "created_by").get(pk=run_id)
    expected = ImportRun.Status.RUNNING if confirm else ImportRun.Status.CHECKING
    if run.status != expected:  # a task delivered twice: the run is already over
        return run
    actor = run.created_by
    with translation.override(settings.LANGUAGE_CODE):
        try:
            run.file.open("rb")
            try:
                raw = run.file.read()
            finally:
                run.file.close()
            headers, rows, run.detected = reading.load(raw)
            if not rows:
                raise reading.UnreadableFile(_("The file has no line under its headers."))
            run.total = len(rows)
            columns = run.mapping.mapping.get(run.kind, {})
            missing = schema.missing_columns(run.kind, columns, headers)
            if missing:
                raise reading.UnreadableFile(
                    _("Columns missing from the file: %(columns)s.")
                    % {"columns": ", ".join(missing)}
                )
            lines = schema.parse_rows(
                run.kind,
                columns,
                {"date_format": run.mapping.date_format},
                headers,
                rows,
                progress=lambda n: _progress(run, n // 2),
            )
            _progress(run, len(lines) // 2)
            committed = False
            try:
                with transaction.atomic():
                    IMPORTERS[run.kind](run, lines, actor)
                    if not confirm or any(line.errors for line in lines):
                        raise _Rollback
                    committed = True
            except _Rollback:
                pass
        except reading.UnreadableFile as exc:
            run.status, run.error, run.lines, run.counts = (
                ImportRun.Status.REFUSED,
                str(exc),
                [],
                {},
            )
            run.finished_at = clock.now()
            _forget_file(run)
            run.save()
            return run
        except Exception:
            logger.exception("import run %s failed", run.pk)
            run.status = ImportRun.Status.FAILED
            run.error = _("The import stopped on an unexpected error; nothing was written.")
            run.finished_at = clock.now()
            _forget_file(run)
            run.save()
            return run
    run.lines = [line.as_dict() for line in lines]
    run.counts = _counts(run.lines)
    run.done = run.total
    run.error = ""
    refused = run.counts.get("refused", 0)
    if refused:
        run.status = ImportRun.Status.REFUSED
    else:
        run.status = ImportRun.Status.DONE if committed else ImportRun.Status.CHECKED
    run.finished_at = clock.now()
    _forget_file(run)
    run.save()
    cache.delete(progress_key(run.pk))
    audit.record(
        actor,
        "imports.imported" if committed else "imports.checked",
        run,
        file=run.file_name,
        confirm=confirm,
        **run.counts,
    )
    return run


def _forget_file(run: ImportRun) -> None:
    """The file holds families' personal data: kept only while it waits for confirmation."""
    if run.status != ImportRun.Status.CHECKED and run.file:
        run.file.delete(save=False)


def _counts(lines: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line["action"]] = counts.get(line["action"], 0) + 1
    return counts


def _refs(mapping, target, external_ids) -> dict:
    ids = list(external_ids)
    found = {}
    for start in range(0, len(ids), 5000):
        found.update(
            ExternalRef.objects.filter(
                mapping=mapping, target=target, external_id__in=ids[start : start + 5000]
            ).values_list("external_id", "object_id")
        )
    return found


def _store_refs(run, target, pairs) -> None:
    ExternalRef.objects.bulk_create(
        [
            ExternalRef(mapping=run.mapping, target=target, external_id=ext, object_id=pk, run=run)
            for ext, pk in pairs
        ],
        batch_size=2000,
        # A ref left by an object deleted since (e.g. a household deleted by hand) is renewed.
        update_conflicts=True,
        unique_fields=["mapping", "target", "external_id"],
        update_fields=["object_id", "run"],
    )


def _duplicates(lines, key) -> list:
    """Lines without errors, the later of two with the same id refused."""
    seen = {}
    kept = []
    for line in lines:
        if line.errors:
            continue
        ext = line.values[key]
        if ext in seen:
            line.refuse(
                _("the id %(id)s is already on line %(line)s") % {"id": ext, "line": seen[ext]}
            )
            continue
        seen[ext] = line.number
        kept.append(line)
    return kept


def _diff(instance, data: dict) -> dict:
    return {f: v for f, v in data.items() if getattr(instance, f) != v}


# --- households, adults, quotients, opening balances -----------------------------------------

HOUSEHOLD_FIELDS = ("name", "address_line1", "address_line2", "postcode", "city", "family_quotient")
ADULT_FIELDS = ("last_name", "first_name", "relationship", "email", "phone")


def _adult_data(values, n) -> dict:
    return {f: values[f"adult{n}_{f}"] for f in ADULT_FIELDS if f"adult{n}_{f}" in values}


def _import_households(run, lines, actor) -> None:
    lines = _duplicates(lines, "household_id")
    keys = [line.values["household_id"] for line in lines]
    refs = _refs(run.mapping, Ref.HOUSEHOLD, keys)
    existing = Household.objects.in_bulk(refs.values())
    balance_refs = _refs(run.mapping, Ref.BALANCE, keys)
    balance_entries = LedgerEntry.objects.in_bulk(balance_refs.values())
    adult_keys = [f"{k}:{n}" for k in keys for n in (1, 2)]
    adult_refs = _refs(run.mapping, Ref.ADULT, adult_keys)
    adults = Adult.objects.in_bulk(adult_refs.values())
    taken_emails = _emails_in_use(
        {v for line in lines for n in (1, 2) if (v := line.values.get(f"adult{n}_email"))}
    )

    creates, create_lines, updates = [], [], []
    for line in lines:
        v = line.values
        for n in (1, 2):
            new_adult = f"{v['household_id']}:{n}" not in adult_refs
            if (
                new_adult
                and _adult_data(v, n)
                and not (v.get(f"adult{n}_last_name") and v.get(f"adult{n}_first_name"))
            ):
                line.refuse(_("adult %(n)s: surname and first name are needed") % {"n": n})
        data = {f: v[f] for f in HOUSEHOLD_FIELDS if f in v}
        household = existing.get(refs.get(v["household_id"]))
        if household is None:
            if "name" not in data:
                last = v.get("adult1_last_name")
                if not last:
                    line.refuse(_("household name: missing value (or the surname of adult 1)"))
                    continue
                data["name"] = _("%(last_name)s family") % {"last_name": last}
            if line.errors:
                continue
            creates.append(data)
            create_lines.append(line)
            line.action = "created"
            line.details.append(_("household « %(name)s » created") % {"name": data["name"]})
        else:
            changed = _diff(household, data)
            if changed:
                updates.append((household, changed))
                line.action = "updated"
                line.details.append(
                    _("household updated: %(fields)s")
                    % {
                        "fields": ", ".join(
                            str(Household._meta.get_field(f).verbose_name) for f in changed
                        )
                    }
                )
            else:
                line.action = "unchanged"
        amount = v.get("balance")
        if amount is not None:
            entry = balance_entries.get(balance_refs.get(v["household_id"]))
            if entry is not None and entry.amount != amount:
                line.refuse(
                    _(
                        "opening balance already carried over on %(date)s (%(amount)s): a "
                        "correction is made at the cash desk, not by a new import"
                    )
                    % {"date": entry.date.strftime("%d/%m/%Y"), "amount": format_eur(entry.amount)}
                )
            elif entry is None and amount and "balance_date" not in v:
                line.refuse(_("date of the opening balance: missing value"))
    created = family_services.import_households(creates, updates) if (creates or updates) else []
    _progress(run, len(lines) * 3 // 4)
    household_of = {
        line.values["household_id"]: refs.get(line.values["household_id"]) for line in lines
    }
    for line, household in zip(create_lines, created, strict=True):
        household_of[line.values["household_id"]] = household.pk
    _store_refs(
        run,
        Ref.HOUSEHOLD,
        [(ln.values["household_id"], h.pk) for ln, h in zip(create_lines, created, strict=True)],
    )

    # Adults: « <household id>:1 » and « :2 » are their ids in the previous software.
    adult_creates, adult_create_keys, adult_updates, invite = [], [], [], []
    for line in lines:
        if line.errors:
            continue
        hid = household_of[line.values["household_id"]]
        for n in (1, 2):
            data = _adult_data(line.values, n)
            if not data:
                continue
            key = f"{line.values['household_id']}:{n}"
            adult = adults.get(adult_refs.get(key))
            if adult is None:
                adult_creates.append({"household_id": hid, **data})
                adult_create_keys.append((key, line))
                name = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
                line.details.append(_("adult %(name)s created") % {"name": name})
                if line.action == "unchanged":
                    line.action = "updated"
            else:
                changed = _diff(adult, data)
                if changed:
                    adult_updates.append((adult, changed))
                    line.details.append(_("adult %(name)s updated") % {"name": adult})
                    if line.action == "unchanged":
                        line.action = "updated"
    new_adults = family_services.import_adults(adult_creates, adult_updates)
    _store_refs(
        run,
        Ref.ADULT,
        [(k, a.pk) for (k, _line), a in zip(adult_create_keys, new_adults, strict=True)],
    )
    invited = set(
        Invitation.objects.filter(
            accepted_at=None, adult__email__in={a.email for a in new_adults if a.email}
        ).values_list("adult__email", flat=True)
    )
    for (_key, line), adult in zip(adult_create_keys, new_adults, strict=True):
        if not adult.email:
            line.details.append(
                _("%(name)s has no e-mail: listed for the service") % {"name": adult}
            )
        elif adult.email in taken_emails:
            line.details.append(
                _("%(email)s already belongs to an account: no invitation") % {"email": adult.email}
            )
        elif adult.email in invited:
            line.details.append(
                _("%(email)s is already invited for another adult: one invitation per address")
                % {"email": adult.email}
            )
        else:
            invited.add(adult.email)
            invite.append(adult)
            line.details.append(_("invitation sent to %(email)s") % {"email": adult.email})

    # Opening balances: one « Solde repris » per household, ever.
    balances, balance_lines = {}, {}
    for line in lines:
        v = line.values
        if line.errors or v.get("balance") is None or v["household_id"] in balance_refs:
            continue
        if v["balance"] == 0:
            line.details.append(_("opening balance of zero: nothing to carry over"))
            continue
        hid = household_of[v["household_id"]]
        balances[hid] = (v["balance"], v["balance_date"])
        balance_lines[hid] = line
    if balances and not any(line.errors for line in lines):
        entries = billing_services.post_opening_balances(balances, OPENING_LABEL, actor)
        pairs = []
        for hid, entry in entries.items():
            line = balance_lines[hid]
            pairs.append((line.values["household_id"], entry.pk))
            line.details.append(
                _("« Solde repris » of %(amount)s on %(date)s")
                % {"amount": format_eur(entry.amount), "date": entry.date.strftime("%d/%m/%Y")}
            )
            if line.action == "unchanged":
                line.action = "updated"
        _store_refs(run, Ref.BALANCE, pairs)
    names = dict(
        Household.objects.filter(pk__in={a.household_id for a in invite}).values_list("pk", "name")
    )
    invite_adults(invite, names)


def _emails_in_use(emails: set) -> set:
    emails = list(emails)
    taken = set()
    for start in range(0, len(emails), 5000):
        taken.update(
            get_user_model()
            .objects.filter(email__in=emails[start : start + 5000])
            .values_list("email", flat=True)
        )
    return taken


# --- children --------------------------------------------------------------------------------

CHILD_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "level",
    "has_pai",
    "allergies",
    "no_pork",
    "gluten_free",
)


def _import_children(run, lines, actor) -> None:
    lines = _duplicates(lines, "child_id")
    households = _refs(run.mapping, Ref.HOUSEHOLD, {ln.values["household_id"] for ln in lines})
    refs = _refs(run.mapping, Ref.CHILD, [ln.values["child_id"] for ln in lines])
    existing = Child.objects.in_bulk(refs.values())
    schools = {s.name.lower(): s.pk for s in School.objects.all()}
    today = clock.today()
    creates, create_lines, updates = [], [], []
    for line in lines:
        v = line.values
        hid = households.get(v["household_id"])
        if hid is None:
            line.refuse(
                _("household %(id)s unknown: import the households' file first")
                % {"id": v["household_id"]}
            )
        if v["birth_date"] > today:
            line.refuse(_("birth date: in the future"))
        data = {f: v[f] for f in CHILD_FIELDS if f in v}
        if "school" in v:
            school = schools.get(v["school"].lower())
            if school is None:
                line.refuse(
                    _("school « %(name)s » unknown: create it in the administration first")
                    % {"name": v["school"]}
                )
            data["school_id"] = school
        if line.errors:
            continue
        child = existing.get(refs.get(v["child_id"]))
        if child is None:
            creates.append({"household_id": hid, **data})
            create_lines.append(line)
            line.action = "created"
            line.details.append(
                _("child %(name)s created") % {"name": f"{v['first_name']} {v['last_name']}"}
            )
        else:
            if child.household_id != hid:
                line.refuse(_("this child belongs to another household in the portal"))
                continue
            changed = _diff(child, data)
            if changed:
                updates.append((child, changed))
                line.action = "updated"
                line.details.append(_("child %(name)s updated") % {"name": child})
            else:
                line.action = "unchanged"
    created = family_services.import_children(creates, updates)
    _store_refs(
        run,
        Ref.CHILD,
        [(ln.values["child_id"], c.pk) for ln, c in zip(create_lines, created, strict=True)],
    )


# --- future bookings -------------------------------------------------------------------------

ACTIVITY_ALIASES = {
    "cantine": Activity.Kind.LUNCH,
    "restauration": Activity.Kind.LUNCH,
    "repas": Activity.Kind.LUNCH,
    "matin": Activity.Kind.MORNING,
    "periscolaire matin": Activity.Kind.MORNING,
    "soir": Activity.Kind.EVENING1,
    "soir 1": Activity.Kind.EVENING1,
    "soir1": Activity.Kind.EVENING1,
    "soir 2": Activity.Kind.EVENING2,
    "soir2": Activity.Kind.EVENING2,
}
_parse_activity = schema.choice(Activity.Kind, ACTIVITY_ALIASES)


def _import_bookings(run, lines, actor) -> None:
    children = _refs(
        run.mapping, Ref.CHILD, {ln.values["child_id"] for ln in lines if not ln.errors}
    )
    child_objects = Child.objects.in_bulk(children.values())
    today = clock.today()
    wanted = {}
    for line in lines:
        if line.errors:
            continue
        v = line.values
        child = child_objects.get(children.get(v["child_id"]))
        if child is None:
            line.refuse(
                _("child %(id)s unknown: import the children's file first") % {"id": v["child_id"]}
            )
        try:
            kind = _parse_activity(v["activity"], {})
        except schema.CellError as exc:
            line.refuse(_("%(field)s: %(reason)s") % {"field": _("activity"), "reason": exc})
        if v["date"] <= today:
            line.refuse(_("date: only future bookings are imported"))
        if line.errors:
            continue
        key = (child.pk, kind, v["date"])
        if key in wanted:
            line.refuse(
                _("the same booking is already on line %(line)s") % {"line": wanted[key].number}
            )
            continue
        wanted[key] = line
    by_child: dict = {}
    for child_id, kind, day in wanted:
        by_child.setdefault((child_id, kind), []).append(day)
    for (child_id, kind), days in by_child.items():
        outcome = agenda_services.bulk_change(
            [child_objects[child_id]], [kind], days, "book", actor, as_agent=True
        )
        for change in outcome.booked:
            line = wanted[(child_id, kind, change.date)]
            line.action = "created"
            line.details.append(_("booked"))
        for change in outcome.skipped:
            line = wanted[(child_id, kind, change.date)]
            if change.reason == agenda_services.Skip.ALREADY_BOOKED:
                line.action = "unchanged"
            else:
                line.refuse(_("not booked: %(reason)s") % {"reason": change.reason_label})


IMPORTERS = {
    ImportRun.Kind.HOUSEHOLDS: _import_households,
    ImportRun.Kind.CHILDREN: _import_children,
    ImportRun.Kind.BOOKINGS: _import_bookings,
}
