"""Writes of the agenda: closures, booking and cancelling (one day or in bulk), attendance, the
calendar feed's token. Every write runs in one transaction and locks what it depends on."""

import dataclasses
import datetime
import functools
from collections import defaultdict

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.agenda import deadline, selectors
from portail.agenda.days import school_year_bounds
from portail.agenda.models import (
    AbsenceReason,
    Activity,
    Attendance,
    Booking,
    CalendarFeed,
    ClosedDay,
    SchoolMove,
)
from portail.agenda.signals import bookings_withdrawn
from portail.core import audit, clock, tokens
from portail.families.models import Child, Household, School
from portail.families.services import booking_block_reason, update_child_schooling
from portail.messaging.services import notify_household


def _in_town_language(fn):
    """The family's messages in the town's language, whoever's request runs the action (one
    `override` per call: the decorator form of `translation.override` is shared by threads)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return run


@transaction.atomic
def sync_holiday_closures(year: int, zone: str) -> int:
    """Store French public holidays and the zone's school holidays of a school year as closures.

    Idempotent; closures entered by agents are kept and never overwritten."""
    start, end = school_year_bounds(year)
    years = [start.year, end.year]
    found: dict[datetime.date, tuple[str, str]] = {}
    for day, name in holidays.France(
        years=years, language="fr", subdiv=zone, categories=("school",)
    ).items():
        found[day] = (name, ClosedDay.Source.SCHOOL_HOLIDAY)
    for day, name in holidays.France(years=years, language="fr").items():
        found[day] = (name, ClosedDay.Source.PUBLIC_HOLIDAY)
    created = 0
    for day, (name, source) in sorted(found.items()):
        if not (start <= day <= end) or day.weekday() >= 5:
            continue
        _closure, was_created = ClosedDay.objects.get_or_create(
            date=day, school=None, defaults={"reason": name, "source": source}
        )
        created += was_created
    return created


# --- closures entered by agents ------------------------------------------------------------


@transaction.atomic
def add_closed_day(day: datetime.date, school: School | None, reason: str, actor) -> ClosedDay:
    """Close a day (strike, training day...) for one school or all; the bookings of that day are
    cancelled (not charged) and the families told."""
    if ClosedDay.objects.filter(Q(school=None) | Q(school=school), date=day).exists():
        raise ValidationError({"date": _("This day is already closed.")})
    closure = ClosedDay.objects.create(
        date=day, school=school, reason=reason, source=ClosedDay.Source.AGENT
    )
    bookings = Booking.objects.select_for_update().filter(date=day, status=Booking.Status.BOOKED)
    if school is not None:
        bookings = bookings.filter(activity__school=school)
    households = set(bookings.values_list("child__household_id", flat=True))
    cancelled = bookings.update(
        status=Booking.Status.CANCELLED,
        cancelled_at=clock.now(),
        cancelled_by=actor,
        cancelled_by_closed_day=closure,
    )
    audit.record(
        actor,
        "agenda.closure_added",
        closure,
        date=day.isoformat(),
        school=school.name if school else None,
        reason=reason,
        bookings_cancelled=cancelled,
    )
    if households:
        subject = _("Day closed: %(date)s") % {"date": day.strftime("%d/%m/%Y")}
        body = _(
            "The service is closed on %(date)s (%(reason)s). Your bookings of that day are "
            "cancelled and will not be charged."
        ) % {"date": day.strftime("%d/%m/%Y"), "reason": reason}
        for household in Household.objects.filter(pk__in=households):
            notify_household(
                household, subject, body, dedupe_key=f"closure:{closure.pk}:{household.pk}"
            )
    return closure


@_in_town_language
@transaction.atomic
def remove_closed_day(closure: ClosedDay, actor) -> int:
    """Reopen a day (« réouverture »): the bookings the closure cancelled are booked again and
    their families told. Only today or later: a past closed day stays as it was served (nobody
    came). Billing is untouched: the consumption run bills a day once, when it is over, and never
    twice (one debit per child, activity and day). Returns the number of bookings restored."""
    closure = ClosedDay.objects.select_for_update().get(pk=closure.pk)
    restored = list(
        selectors.restorable_bookings(closure)
        .select_for_update(of=("self",))
        .select_related("child", "activity")
    )
    Booking.objects.filter(pk__in=[b.pk for b in restored]).update(
        status=Booking.Status.BOOKED, cancelled_at=None, cancelled_by=None,
        cancelled_by_closed_day=None,
    )  # fmt: skip
    audit.record(
        actor,
        "agenda.closure_removed",
        closure,
        date=closure.date.isoformat(),
        school=closure.school.name if closure.school else None,
        reason=closure.reason,
        source=closure.source,
        bookings_restored=len(restored),
    )
    by_household = defaultdict(list)
    for booking in restored:
        by_household[booking.child.household_id].append(booking)
    when = closure.date.strftime("%d/%m/%Y")
    for household in Household.objects.filter(pk__in=by_household):
        lines = "\n".join(
            f"- {b.child.first_name}\u00a0: {b.activity.name}" for b in by_household[household.pk]
        )
        notify_household(
            household,
            _("Day open again: %(date)s") % {"date": when},
            _(
                "The service is open again on %(date)s. The bookings cancelled by the closure "
                "are booked again:\n%(lines)s\nThey are charged like any booking; cancel them in "
                "the agenda within the usual deadline if your child does not come."
            )
            % {"date": when, "lines": lines},
            link=reverse("agenda:calendar"),
            dedupe_key=f"reopened:{closure.pk}:{closure.date}:{household.pk}",
        )
    closure.delete()
    return len(restored)


# --- booking and cancelling -----------------------------------------------------------------


class Skip:
    """Why a requested booking or cancellation was not made."""

    CLOSED = "closed"
    DEADLINE = "deadline"
    ALREADY_BOOKED = "already_booked"
    NOT_BOOKED = "not_booked"
    NOT_ENROLLED = "not_enrolled"
    FULL = "full"
    BLOCKED = "blocked"

    LABELS = {
        CLOSED: gettext_lazy("closed day"),
        DEADLINE: gettext_lazy("past the booking deadline"),
        ALREADY_BOOKED: gettext_lazy("already booked"),
        NOT_BOOKED: gettext_lazy("nothing booked"),
        NOT_ENROLLED: gettext_lazy("child not enrolled in that activity"),
        FULL: gettext_lazy("full"),
        BLOCKED: gettext_lazy("account blocked"),
    }


@dataclasses.dataclass
class Change:
    child: Child
    kind: str
    date: datetime.date
    activity: Activity | None = None
    reason: str | None = None  # a Skip code when not done

    @property
    def reason_label(self):
        return Skip.LABELS.get(self.reason, "")

    @property
    def kind_label(self):
        return self.activity.name if self.activity else Activity.Kind(self.kind).label


@dataclasses.dataclass
class Outcome:
    booked: list[Change] = dataclasses.field(default_factory=list)
    cancelled: list[Change] = dataclasses.field(default_factory=list)
    skipped: list[Change] = dataclasses.field(default_factory=list)
    block_reasons: dict[int, str] = dataclasses.field(default_factory=dict)


def _apply_requests(requests, action: str, actor, as_agent: bool, outcome: Outcome) -> Outcome:
    """Book (action "book") or cancel ("cancel") each (child, kind, date) request, in bulk:
    closures, existing bookings and capacity counts are read once, new rows written with
    bulk_create. The activities concerned are locked first (in pk order, no deadlock), so two
    parents racing for the last place are served one after the other."""
    if not requests:
        return outcome
    children = {c.pk: c for c, _k, _d in requests}
    today = clock.today()
    now = clock.now()
    blocked = {}
    if action == "book" and not as_agent:
        # Read under a lock on the households: billing moves their credit flags in the
        # transaction that moves a balance, so a debit and a booking are serialised.
        for household in (
            Household.objects.select_for_update()
            .filter(pk__in={c.household_id for c in children.values()})
            .order_by("pk")
        ):
            blocked[household.pk] = booking_block_reason(household, today)
        outcome.block_reasons.update({k: v for k, v in blocked.items() if v})
    school_ids = {c.school_id for c in children.values() if c.school_id}
    activities = {
        (a.school_id, a.kind): a
        for a in Activity.objects.select_for_update()
        .filter(school_id__in=school_ids)
        .order_by("pk")
    }
    days = [d for _c, _k, d in requests]
    start, end = min(days), max(days)
    calendar = selectors.closures_calendar(start, end)
    existing = {
        (child_id, activity_id, day): (pk, status)
        for pk, child_id, activity_id, day, status in Booking.objects.filter(
            child_id__in=children, date__range=(start, end)
        ).values_list("pk", "child_id", "activity_id", "date", "status")
    }
    limited = [a.pk for a in activities.values() if a.capacity is not None]
    counts = defaultdict(int)
    if action == "book" and limited:
        for activity_id, day, n in (
            Booking.objects.filter(
                activity_id__in=limited, date__range=(start, end), status=Booking.Status.BOOKED
            )
            .values_list("activity_id", "date")
            .annotate(n=Count("pk"))
        ):
            counts[(activity_id, day)] = n

    to_create, to_reactivate, to_cancel = [], [], []
    for child, kind, day in requests:
        activity = activities.get((child.school_id, kind)) if child.school_id else None
        change = Change(child, kind, day, activity)
        key = (child.pk, activity.pk, day) if activity else None
        current = existing.get(key) if key else None
        is_booked = current is not None and current[1] == Booking.Status.BOOKED
        if blocked.get(child.household_id):
            change.reason = Skip.BLOCKED
        elif activity is None:
            change.reason = Skip.NOT_ENROLLED
        elif not calendar.is_open(activity, day) and not (action == "cancel" and is_booked):
            change.reason = Skip.CLOSED
        elif not as_agent and not deadline.parent_can_change(day, today):
            change.reason = Skip.DEADLINE
        elif action == "book":
            if is_booked:
                change.reason = Skip.ALREADY_BOOKED
            elif activity.capacity is not None and counts[(activity.pk, day)] >= activity.capacity:
                change.reason = Skip.FULL
            else:
                counts[(activity.pk, day)] += 1
                existing[key] = (current[0] if current else None, Booking.Status.BOOKED)
                if current:
                    to_reactivate.append(current[0])
                else:
                    to_create.append(
                        Booking(
                            child=child,
                            activity=activity,
                            date=day,
                            created_at=now,
                            created_by=actor,
                        )  # fmt: skip
                    )
                outcome.booked.append(change)
                continue
        else:
            if not is_booked:
                change.reason = Skip.NOT_BOOKED
            else:
                existing[key] = (current[0], Booking.Status.CANCELLED)
                to_cancel.append(current[0])
                outcome.cancelled.append(change)
                continue
        outcome.skipped.append(change)

    Booking.objects.bulk_create(to_create, batch_size=500)
    if to_reactivate:
        Booking.objects.filter(pk__in=to_reactivate).update(
            status=Booking.Status.BOOKED,
            created_at=now,
            created_by=actor,
            cancelled_at=None,
            cancelled_by=None,
        )
    if to_cancel:
        Booking.objects.filter(pk__in=to_cancel).update(
            status=Booking.Status.CANCELLED, cancelled_at=now, cancelled_by=actor
        )
    return outcome


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def save_day(
    child: Child, day: datetime.date, wanted_kinds, actor, as_agent: bool = False
) -> Outcome:
    """Make the child's bookings of `day` match the ticked activities (by kind): book the new
    ones, cancel the unticked ones; what cannot be done is reported in `skipped`."""
    wanted = set(wanted_kinds)
    booked_kinds = set(
        Booking.objects.filter(child=child, date=day, status=Booking.Status.BOOKED).values_list(
            "activity__kind", flat=True
        )
    )
    outcome = Outcome()
    actor = _user(actor)
    _apply_requests(
        [(child, k, day) for k in sorted(wanted - booked_kinds)], "book", actor, as_agent, outcome
    )
    _apply_requests(
        [(child, k, day) for k in sorted(booked_kinds - wanted)], "cancel", actor, as_agent, outcome
    )
    if as_agent and (outcome.booked or outcome.cancelled):
        audit.record(
            actor,
            "agenda.bookings_changed",
            child,
            date=day.isoformat(),
            booked=[c.kind for c in outcome.booked],
            cancelled=[c.kind for c in outcome.cancelled],
        )
    return outcome


@transaction.atomic
def bulk_change(
    children, kinds, days, action: str, actor, as_agent: bool = False
) -> Outcome:  # fmt: skip
    """« saisie groupée »: book (action "book") or cancel ("cancel") every chosen activity of
    every chosen child on every chosen day. Bulk reads and writes: a school year for several
    children is a handful of queries."""
    if action not in ("book", "cancel"):
        raise ValueError(action)
    requests = [(child, kind, day) for child in children for day in sorted(days) for kind in kinds]
    return _apply_requests(requests, action, _user(actor), as_agent, Outcome())


def preview_bulk_change(children, kinds, days, action: str, actor) -> Outcome:
    """What `bulk_change` would do, by the same rules, without keeping anything: the summary
    shown before « Enregistrer » (the savepoint is rolled back)."""
    with transaction.atomic():
        outcome = bulk_change(children, kinds, days, action, actor)
        transaction.set_rollback(True)
    return outcome


# --- a child's change of school (« changement d'école ») ---------------------------------------


@dataclasses.dataclass
class Proposal:
    """A booking at the new school equivalent to one cancelled at the old school."""

    date: datetime.date
    kind: str
    activity: Activity | None
    reason: str | None = None  # a Skip code when it cannot be booked

    @property
    def key(self) -> str:
        return f"{self.date.isoformat()}|{self.kind}"

    @property
    def reason_label(self):
        return Skip.LABELS.get(self.reason, "")


@_in_town_language
@transaction.atomic
def change_school(child: Child, school: School, effective: datetime.date, actor, level=None):
    """Move a child to another school from `effective` on: the bookings at the old school from
    that day are cancelled without charge (the ones billing already debited are refunded, through
    the `bookings_withdrawn` signal billing answers), the school changes through families (audited
    there), the move is audited and the family told. Returns the `SchoolMove`; its equivalents at
    the new school come from `move_proposals`."""
    child = (
        Child.objects.select_for_update(of=("self",))
        .select_related("school", "household")
        .get(pk=child.pk)
    )
    if child.school_id is None:
        raise ValidationError({"school": _("This child has no school yet: enrol them first.")})
    if school.pk == child.school_id:
        raise ValidationError({"school": _("The child is already at this school.")})
    old = child.school
    now = clock.now()
    move = SchoolMove.objects.create(
        child=child, from_school=old, to_school=school, effective=effective,
        created_at=now, created_by=_user(actor),
    )  # fmt: skip
    bookings = list(
        Booking.objects.select_for_update()
        .filter(child=child, date__gte=effective, status=Booking.Status.BOOKED)
        .exclude(activity__school=school)
        .order_by("date", "activity__position")
    )
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        status=Booking.Status.CANCELLED, cancelled_at=now, cancelled_by=_user(actor),
        cancelled_by_move=move,
    )  # fmt: skip
    reason = _("School change of %(name)s on %(date)s") % {
        "name": child.first_name, "date": effective.strftime("%d/%m/%Y"),
    }  # fmt: skip
    answers = bookings_withdrawn.send(
        sender=SchoolMove,
        items=[(b.child_id, b.activity_id, b.date) for b in bookings],
        reason=reason,
        actor=_user(actor),
    )
    move.refunds = sum(n for _receiver, n in answers if isinstance(n, int))
    move.save(update_fields=["refunds"])
    data = {"school": school}
    if level:
        data["level"] = level
    update_child_schooling(child, data, actor=actor)
    audit.record(
        actor,
        "agenda.school_changed",
        child,
        from_school=old.name,
        to_school=school.name,
        effective=effective.isoformat(),
        bookings_cancelled=len(bookings),
        refunds=move.refunds,
    )
    when = effective.strftime("%d/%m/%Y")
    body = _(
        "From %(date)s, %(name)s goes to %(school)s. Their %(count)s booking(s) at %(old)s from "
        "that day are cancelled and will not be charged."
    ) % {"date": when, "name": child.first_name, "school": school.name, "old": old.name,
         "count": len(bookings)}  # fmt: skip
    if move.refunds:
        body += " " + _(
            "%(count)s of them, already charged, are refunded on your prepaid account."
        ) % {"count": move.refunds}
    body += "\n" + _(
        "Book the activities of the new school in the agenda, unless the service tells you it has "
        "booked them for you."
    )
    notify_household(
        child.household,
        _("School change: %(name)s") % {"name": child.first_name},
        body,
        link=reverse("agenda:calendar"),
        dedupe_key=f"school-move:{move.pk}",
    )
    return move


def move_proposals(move) -> list[Proposal]:
    """The cancelled bookings of a move still to come, as bookings of the same kind at the new
    school, each with why it cannot be booked (closed, full, not offered) or None."""
    cancelled = list(
        move.cancelled_bookings.filter(date__gte=clock.today())
        .select_related("activity")
        .order_by("date", "activity__position")
    )
    if not cancelled:
        return []
    activities = {a.kind: a for a in Activity.objects.filter(school=move.to_school)}
    days = [b.date for b in cancelled]
    calendar = selectors.closures_calendar(min(days), max(days))
    taken = set(
        Booking.objects.filter(
            child=move.child, status=Booking.Status.BOOKED, date__range=(min(days), max(days))
        ).values_list("date", "activity__kind")
    )
    counts = dict(
        ((activity_id, day), n)
        for activity_id, day, n in Booking.objects.filter(
            activity__in=activities.values(), status=Booking.Status.BOOKED,
            date__range=(min(days), max(days)),
        )
        .values_list("activity_id", "date")
        .annotate(n=Count("pk"))
    )  # fmt: skip
    proposals = []
    for booking in cancelled:
        kind = booking.activity.kind
        activity = activities.get(kind)
        proposal = Proposal(booking.date, kind, activity)
        if activity is None:
            proposal.reason = Skip.NOT_ENROLLED
        elif (booking.date, kind) in taken:
            proposal.reason = Skip.ALREADY_BOOKED
        elif not calendar.is_open(activity, booking.date):
            proposal.reason = Skip.CLOSED
        elif (
            activity.capacity is not None
            and counts.get((activity.pk, booking.date), 0) >= activity.capacity
        ):
            proposal.reason = Skip.FULL
        proposals.append(proposal)
    return proposals


@_in_town_language
@transaction.atomic
def book_equivalents(move, keys, actor) -> Outcome:
    """Book, for the family, the chosen proposals of a move (« date|kind » keys) at the new
    school, as an agent (no deadline); what cannot be booked is reported in `skipped`."""
    child = Child.objects.select_related("household").get(pk=move.child_id)
    wanted = set(keys)
    requests = [
        (child, p.kind, p.date) for p in move_proposals(move) if p.key in wanted and not p.reason
    ]
    outcome = _apply_requests(requests, "book", _user(actor), True, Outcome())
    if outcome.booked:
        audit.record(
            actor, "agenda.bookings_changed", child, move=move.pk,
            booked=[f"{c.date.isoformat()} {c.kind}" for c in outcome.booked],
        )  # fmt: skip
        lines = "\n".join(f"- {c.date:%d/%m/%Y}\u00a0: {c.kind_label}" for c in outcome.booked)
        notify_household(
            child.household,
            _("Bookings at %(school)s") % {"school": move.to_school.name},
            _("The service booked for %(name)s at %(school)s:\n%(lines)s")
            % {"name": child.first_name, "school": move.to_school.name, "lines": lines},
            link=reverse("agenda:calendar"),
            dedupe_key=f"school-move:{move.pk}:booked:{clock.now().isoformat()}",
        )
    return outcome


# --- attendance (pointage) -----------------------------------------------------------------


@transaction.atomic
def record_attendance(
    activity: Activity, day: datetime.date, states: dict, actor, reasons: dict | None = None
) -> int:
    """Record the pointage of a sheet: `states` {child id: "present" | "absent"}, `reasons`
    {child id: AbsenceReason} for an absence the agent excuses (the reason wins over the state:
    an excused absence, charged at the reason's ratio). Billed rows and absences declared by the
    family (excused, booking cancelled) are left as they are. Set-based: a 500-child « tous
    présents » is a few queries. Returns the number of rows written."""
    reasons = reasons or {}
    # Two agents saving the same sheet are served one after the other.
    Activity.objects.select_for_update().filter(pk=activity.pk).first()
    records = {
        a.child_id: a
        for a in Attendance.objects.select_for_update().filter(activity=activity, date=day)
    }
    booked = set(
        Booking.objects.filter(activity=activity, date=day, status=Booking.Status.BOOKED)
        .values_list("child_id", flat=True)
    )  # fmt: skip
    of_school = set(
        Child.objects.filter(school=activity.school_id, pk__in=set(states) | set(reasons))
        .values_list("pk", flat=True)
    )  # fmt: skip
    now, user = clock.now(), _user(actor)
    to_create, to_update = [], []
    for child_id in set(states) | set(reasons):
        reason = reasons.get(child_id)
        state = Attendance.State.EXCUSED if reason is not None else states.get(child_id)
        if state not in (
            Attendance.State.PRESENT,
            Attendance.State.ABSENT,
            Attendance.State.EXCUSED,
        ):
            continue
        record = records.get(child_id)
        if record is None:
            if child_id in of_school:
                to_create.append(
                    Attendance(child_id=child_id, activity=activity, date=day, state=state,
                               absence_reason=reason, recorded_at=now, recorded_by=user)
                )  # fmt: skip
            continue
        declared = record.state == Attendance.State.EXCUSED and child_id not in booked
        if record.billed or declared:
            continue
        if record.state == state and record.absence_reason_id == getattr(reason, "pk", None):
            continue
        record.state, record.absence_reason = state, reason
        record.recorded_at, record.recorded_by = now, user
        to_update.append(record)
    Attendance.objects.bulk_create(to_create, batch_size=500)
    Attendance.objects.bulk_update(
        to_update, ["state", "absence_reason", "recorded_at", "recorded_by"], batch_size=500
    )
    written = len(to_create) + len(to_update)
    if written:
        audit.record(
            actor, "agenda.attendance_recorded", activity, date=day.isoformat(), rows=written
        )
    return written


@transaction.atomic
def add_unbooked_presence(activity: Activity, day: datetime.date, child: Child, actor) -> None:
    """A child came without a booking: a presence, charged with the surcharge by billing."""
    if child.school_id != activity.school_id:
        raise ValidationError({"child": _("This child is not enrolled in this school.")})
    record = Attendance.objects.select_for_update().filter(
        activity=activity, date=day, child=child
    ).first()  # fmt: skip
    if record is not None and record.billed:
        raise ValidationError({"child": _("This attendance is already billed.")})
    Attendance.objects.update_or_create(
        child=child,
        activity=activity,
        date=day,
        defaults={"state": Attendance.State.PRESENT, "recorded_at": clock.now(),
                  "recorded_by": _user(actor), "absence_reason": None},
    )  # fmt: skip
    audit.record(actor, "agenda.unbooked_presence", child, activity=activity.pk, date=str(day))


@transaction.atomic
def declare_absence(
    child: Child,
    day: datetime.date,
    activities: list[Activity],
    reason: AbsenceReason,
    actor=None,
) -> list[Booking]:
    """Record a declared absence (closing an absence request): the bookings of that day and
    those activities are cancelled and an excused attendance keeps the reason, which says how
    much of each slot is charged. Not bound by the booking deadline. Returns the bookings
    cancelled."""
    now = clock.now()
    cancelled = []
    bookings = Booking.objects.select_for_update().filter(
        child=child, date=day, activity__in=activities, status=Booking.Status.BOOKED
    )
    for booking in bookings:
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = actor
        booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        cancelled.append(booking)
    for activity in activities:
        record = Attendance.objects.filter(child=child, activity=activity, date=day).first()
        if record is not None and record.billed:
            continue  # attendance is locked once billed
        Attendance.objects.update_or_create(
            child=child,
            activity=activity,
            date=day,
            defaults={
                "state": Attendance.State.EXCUSED,
                "absence_reason": reason,
                "recorded_at": now,
                "recorded_by": actor,
            },
        )
    return cancelled


# --- calendar feed -------------------------------------------------------------------------


@transaction.atomic
def regenerate_feed(household: Household) -> tuple[CalendarFeed, str]:
    """Give the household a new private feed address; the old one stops working.

    Returns the feed and the plain token, which only the caller sees (we keep its hash)."""
    token, token_hash = tokens.new_token()
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        household=household, defaults={"token_hash": token_hash}
    )
    if not created:
        feed.token_hash = token_hash
        feed.created_at = clock.now()
        feed.save(update_fields=["token_hash", "created_at"])
    return feed, token


@transaction.atomic
def disable_feed(household: Household) -> bool:
    """Switch the household's feed off: its address stops working. False when there was none."""
    deleted, _by_model = CalendarFeed.objects.filter(household=household).delete()
    return bool(deleted)
