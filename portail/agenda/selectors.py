import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext as _

from portail.agenda import deadline
from portail.agenda.days import Calendar
from portail.agenda.models import (
    AbsenceReason,
    Activity,
    Attendance,
    Booking,
    CalendarFeed,
    ClosedDay,
)
from portail.core import clock
from portail.core.tokens import hash_token
from portail.families.models import Adult, AuthorizedPickup, Child


@dataclasses.dataclass(frozen=True)
class BillableItem:
    """One (child, activity, day) to charge, as the consumption run needs it.

    kind: "booked" (booked, present or unexcused), "excused" (booked, excused absence: charged
    at the reason's ratio, possibly 0) or "unbooked" (present without a booking: price + surcharge).
    """

    child_id: int
    household_id: int
    activity_id: int
    date: datetime.date
    kind: str
    ratio: Decimal


def billable_items(day: datetime.date) -> list[BillableItem]:
    """Everything consumed on `day`, from bookings and attendance. Two queries.

    An absence declared by the family cancels the booking and leaves an EXCUSED attendance
    whose reason says how much is charged.
    """
    attendance = {
        (a.child_id, a.activity_id): a
        for a in Attendance.objects.filter(date=day).select_related("absence_reason", "child")
    }
    items = []
    booked = set()
    bookings = Booking.objects.filter(date=day).values_list(
        "child_id", "child__household_id", "activity_id", "status"
    )
    for child_id, household_id, activity_id, status in bookings:
        record = attendance.get((child_id, activity_id))
        if record is not None and record.state == Attendance.State.EXCUSED:
            ratio = record.absence_reason.charge_ratio if record.absence_reason else Decimal(0)
            items.append(BillableItem(child_id, household_id, activity_id, day, "excused", ratio))
        elif status == Booking.Status.BOOKED:
            booked.add((child_id, activity_id))
            items.append(
                BillableItem(child_id, household_id, activity_id, day, "booked", Decimal(1))
            )
    for (child_id, activity_id), record in attendance.items():
        if (child_id, activity_id) not in booked and record.state == Attendance.State.PRESENT:
            items.append(
                BillableItem(
                    child_id, record.child.household_id, activity_id, day, "unbooked", Decimal(1)
                )
            )
    return items


def activities_of_school(school):
    return Activity.objects.filter(school=school)


# --- the parents' agenda -------------------------------------------------------------------


@dataclasses.dataclass
class Day:
    date: datetime.date
    in_month: bool
    state: str  # "open", "locked" (past the deadline) or "closed"
    closure: str | None = None
    booked: list = dataclasses.field(default_factory=list)  # activity names
    url: str = ""  # the day's page, set by the view (not for closed days)
    labels: dict = dataclasses.field(default_factory=dict, repr=False)  # see _day_labels

    @property
    def is_weekend(self):
        return self.date.weekday() >= 5

    # Labels read by the month template: computed here once per cell, because the template
    # engine's lookups and filters cost more than the page's queries on a month of 25 cells.
    @property
    def css(self) -> str:
        css = f"day day-{self.state}"
        if not self.in_month:
            css += " day-other"
        if self.booked:
            css += " day-booked"
        return css

    @property
    def weekday_name(self) -> str:
        return self.labels["weekdays"][self.date.weekday()]

    @property
    def month_name(self) -> str:
        return self.labels["months"][self.date.month - 1]

    @property
    def state_label(self) -> str:
        return self.labels[self.state]

    @property
    def booked_label(self) -> str:
        return self.labels["booked_open" if self.state == "open" else "booked_locked"]

    @property
    def booked_names(self) -> str:
        return ", ".join(self.booked)


def _day_labels() -> dict:
    """The month's words, translated once per month rather than once per cell."""
    return {
        "weekdays": [str(WEEKDAYS[d]) for d in range(7)],
        "months": [str(MONTHS[m]) for m in range(1, 13)],
        "open": _("bookable"),
        "locked": _("past deadline"),
        "closed": _("closed"),
        "booked_open": _("booked, can be cancelled:"),
        "booked_locked": _("booked, can no longer be cancelled:"),
    }


def closures_calendar(start: datetime.date, end: datetime.date) -> Calendar:
    """The closures of a date range, in one query, as a `Calendar` (is a day open?)."""
    closed: dict[datetime.date, dict[int | None, str]] = defaultdict(dict)
    for day, school_id, reason in ClosedDay.objects.filter(date__range=(start, end)).values_list(
        "date", "school_id", "reason"
    ):
        closed[day][school_id] = reason
    return Calendar(closed)


def month_view(child, year: int, month: int, as_agent: bool = False) -> list[list[Day]]:
    """The weeks (Monday to Sunday) of a month for one child: each day open (can be booked),
    locked (past the deadline) or closed, with its bookings. Three queries whatever the number
    of bookings: activities, closures, bookings."""
    first = datetime.date(year, month, 1)
    start = first - datetime.timedelta(days=first.weekday())
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    end = last + datetime.timedelta(days=6 - last.weekday())
    activities = list(Activity.objects.filter(school_id=child.school_id)) if child.school_id else []
    calendar = closures_calendar(start, end)
    booked = defaultdict(list)
    rows = list(
        Booking.objects.filter(
            child=child, date__range=(start, end), status=Booking.Status.BOOKED
        ).values_list("date", "activity_id")
    )
    # Names and order from the activities already read (no join); another school's activity
    # (a child who moved) is read apart.
    known = {a.pk: a for a in activities}
    missing = {a for _d, a in rows if a not in known}
    if missing:
        known.update((a.pk, a) for a in Activity.objects.filter(pk__in=missing))
    for day, activity_id in sorted(rows, key=lambda r: (r[0], known[r[1]].position)):
        booked[day].append(known[activity_id].name)
    today = clock.today()
    labels = _day_labels()
    weeks, week, day = [], [], start
    while day <= end:
        is_open = any(calendar.is_open(a, day) for a in activities)
        closure = calendar.closure_reason(child.school_id, day)
        if not is_open:
            state = "closed"
        elif as_agent or deadline.parent_can_change(day, today):
            state = "open"
        else:
            state = "locked"
        week.append(Day(day, day.month == month, state, closure, booked.get(day, []), "", labels))
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += datetime.timedelta(days=1)
    # A week whose weekdays all fall in another month shows nothing (Monday to Friday only).
    return [w for w in weeks if any(d.in_month and not d.is_weekend for d in w)]


@dataclasses.dataclass
class Slot:
    activity: Activity
    price: Decimal
    is_open: bool
    booked: bool
    changeable: bool
    full: bool
    remaining: int | None


def day_slots(child, day: datetime.date, as_agent: bool = False) -> list[Slot]:
    """The child's activities on `day`, with price, booking, capacity and whether they can be
    changed now."""
    if not child.school_id:
        return []
    activities = list(
        Activity.objects.filter(school_id=child.school_id).prefetch_related("price_brackets")
    )
    calendar = closures_calendar(day, day)
    booked = set(
        Booking.objects.filter(child=child, date=day, status=Booking.Status.BOOKED).values_list(
            "activity_id", flat=True
        )
    )
    counts = dict(
        Booking.objects.filter(
            activity__in=[a for a in activities if a.capacity is not None],
            date=day,
            status=Booking.Status.BOOKED,
        )
        .values_list("activity_id")
        .annotate(n=Count("pk"))
    )
    in_time = as_agent or deadline.parent_can_change(day)
    slots = []
    for activity in activities:
        remaining = None
        if activity.capacity is not None:
            remaining = max(activity.capacity - counts.get(activity.pk, 0), 0)
        is_open = calendar.is_open(activity, day)
        is_booked = activity.pk in booked
        full = remaining == 0 and not is_booked
        slots.append(
            Slot(
                activity=activity,
                price=activity.price_for(child.household),
                is_open=is_open,
                booked=is_booked,
                changeable=in_time and (is_open or is_booked) and not full,
                full=full,
                remaining=remaining,
            )
        )
    return slots


def cancellable_bookings(child, day: datetime.date) -> list[Activity]:
    """The activities the child is booked for on `day` that the service can still cancel (an
    absence): from today on, the activity open that day (no closure) and not yet billed.
    A Sunday, a closed day or a day with nothing booked gives []."""
    if day < clock.today():
        return []
    billed = set(
        Attendance.objects.filter(child=child, date=day, billed=True).values_list(
            "activity_id", flat=True
        )
    )
    return [
        slot.activity
        for slot in day_slots(child, day, as_agent=True)
        if slot.booked and slot.is_open and slot.activity.pk not in billed
    ]


def children_of(household):
    return household.children.select_related("school").order_by("birth_date", "first_name")


# --- the agents' attendance sheet ----------------------------------------------------------


@dataclasses.dataclass
class SheetRow:
    child: object
    booked: bool
    attendance: Attendance | None
    pickups: list

    @property
    def editable(self) -> bool:
        """Billed rows are locked; an absence the family declared (its booking cancelled) is
        theirs. An absence the agent excused stays editable."""
        record = self.attendance
        if record is None:
            return True
        declared = record.state == Attendance.State.EXCUSED and not self.booked
        return not (record.billed or declared)

    @property
    def state(self) -> str:
        return self.attendance.state if self.attendance else ""

    @property
    def reason_id(self):
        return self.attendance.absence_reason_id if self.attendance else None


@dataclasses.dataclass
class SheetCount:
    """« présents / réservés » of the rows shown."""

    present: int
    booked: int
    rows: int


def sheet_count(rows) -> SheetCount:
    present = sum(1 for r in rows if r.state == Attendance.State.PRESENT)
    return SheetCount(present, sum(1 for r in rows if r.booked), len(rows))


def sheet_reasons():
    """The short list of reasons an agent excuses an absence with (administrator's list)."""
    return list(AbsenceReason.objects.filter(active=True))


def attendance_sheet(activity: Activity, day: datetime.date) -> list[SheetRow]:
    """The children expected on an activity on a day (booked), and those recorded without a
    booking or excused, with what the agent needs: allergies, PAI, authorised persons (evening)."""
    booked_ids = set(
        Booking.objects.filter(activity=activity, date=day, status=Booking.Status.BOOKED)
        .values_list("child_id", flat=True)
    )  # fmt: skip
    records = {
        a.child_id: a
        for a in Attendance.objects.filter(activity=activity, date=day).select_related(
            "absence_reason"
        )
    }
    evening = activity.kind in (Activity.Kind.EVENING1, Activity.Kind.EVENING2)
    children = Child.objects.filter(pk__in=booked_ids | set(records)).order_by(
        "last_name", "first_name"
    )
    if evening:
        children = children.prefetch_related(
            Prefetch("authorized_pickups", queryset=AuthorizedPickup.objects.all())
        )
    return [
        SheetRow(
            child=child,
            booked=child.pk in booked_ids,
            attendance=records.get(child.pk),
            pickups=list(child.authorized_pickups.all()) if evening else [],
        )
        for child in children
    ]


def restorable_bookings(closed_day):
    """The bookings reopening this day books again (`services.remove_closed_day`): those its
    closure cancelled, still cancelled, of children still at that school; none for a past day
    (it was not served)."""
    if closed_day.date < clock.today():
        return Booking.objects.none()
    return closed_day.cancelled_bookings.filter(
        status=Booking.Status.CANCELLED, activity__school_id=F("child__school_id")
    )


def upcoming_bookings_count(child) -> int:
    return Booking.objects.filter(
        child=child, status=Booking.Status.BOOKED, date__gte=clock.today()
    ).count()


def upcoming_closed_days(school=None):
    qs = ClosedDay.objects.filter(date__gte=clock.today()).select_related("school")
    if school is not None:
        qs = qs.filter(Q(school=None) | Q(school=school))
    return qs


# --- calendar feed -------------------------------------------------------------------------


def household_feed(household):
    return CalendarFeed.objects.filter(household=household).first()


def feed_for_token(token: str):
    """The feed a private address names, looked up by the token's hash; none once no account of
    the household is active (closed or disabled accounts)."""
    active = Adult.objects.filter(household=OuterRef("household"), user__is_active=True)
    return (
        CalendarFeed.objects.select_related("household")
        .filter(Exists(active), token_hash=hash_token(token))
        .first()
    )


def feed_bookings(household, since: datetime.date):
    return (
        Booking.objects.filter(
            child__household=household, status=Booking.Status.BOOKED, date__gte=since
        )
        .select_related("child", "activity", "activity__school")
        .order_by("date", "activity__position")
    )


# --- headcounts and day lists (partner API, back-office) ----------------------------------


def headcounts(date_from: datetime.date, date_to: datetime.date, school_id=None, activity_id=None):
    """Children booked per day × school × activity between two days (included), with the
    activity's capacity (None when unlimited). Rows only where something is booked; one query,
    ordered by day, school, activity."""
    bookings = Booking.objects.filter(
        status=Booking.Status.BOOKED, date__gte=date_from, date__lte=date_to
    )
    if school_id is not None:
        bookings = bookings.filter(activity__school_id=school_id)
    if activity_id is not None:
        bookings = bookings.filter(activity_id=activity_id)
    return (
        bookings.values(
            "date",
            "activity_id",
            "activity__name",
            "activity__kind",
            "activity__capacity",
            "activity__school_id",
            "activity__school__name",
            "activity__position",
        )
        .annotate(booked=Count("pk"))
        .order_by("date", "activity__school__name", "activity__position", "activity_id")
    )


@dataclasses.dataclass
class HeadcountDay:
    """One day of the kitchen's headcounts: final once parents may no longer book or cancel."""

    date: datetime.date
    deadline: datetime.datetime
    final: bool
    rows: list = dataclasses.field(default_factory=list)


def next_school_days(start: datetime.date, count: int = 5) -> list[datetime.date]:
    """`count` working days from `start` (included): the default period of the headcounts."""
    days, day = [], start
    while len(days) < count:
        if deadline.is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def headcount_days(date_from: datetime.date, date_to: datetime.date) -> list[HeadcountDay]:
    """`headcounts` grouped by day, each row with the places still open (None: unlimited)."""
    now = clock.now()
    days = {}
    for row in headcounts(date_from, date_to):
        day = row["date"]
        if day not in days:
            limit = deadline.change_deadline(day)
            days[day] = HeadcountDay(day, limit, now > limit)
        capacity = row["activity__capacity"]
        row["open"] = None if capacity is None else max(capacity - row["booked"], 0)
        days[day].rows.append(row)
    return list(days.values())


def bookings_of_day(day: datetime.date, school_id=None, activity_id=None):
    """The children booked on a day (not cancelled), by school, activity and name."""
    bookings = Booking.objects.filter(date=day, status=Booking.Status.BOOKED)
    if school_id is not None:
        bookings = bookings.filter(activity__school_id=school_id)
    if activity_id is not None:
        bookings = bookings.filter(activity_id=activity_id)
    return bookings.select_related("child", "activity", "activity__school").order_by(
        "activity__school__name",
        "activity__position",
        "child__last_name",
        "child__first_name",
        "pk",
    )


@dataclasses.dataclass
class BookedMonth:
    """A child's bookings of one month, as the agents' family record shows them: weeks of
    Monday-Friday cells (None outside the month), each cell (day, activity names)."""

    first: datetime.date
    weeks: list[list]
    count: int


def booked_months(children, first: datetime.date, months: int = 2) -> dict[int, list[BookedMonth]]:
    """{child id: [BookedMonth]} for `months` months from `first`'s month; one query."""
    start = first.replace(day=1)
    end = start
    for _i in range(months):
        end = (end + datetime.timedelta(days=32)).replace(day=1)
    names = defaultdict(list)
    rows = (
        Booking.objects.filter(
            child__in=children, date__gte=start, date__lt=end, status=Booking.Status.BOOKED
        )
        .order_by("date", "activity__position")
        .values_list("child_id", "date", "activity__name")
    )
    for child_id, day, name in rows:
        names[(child_id, day)].append(name)
    result = {}
    for child in children:
        result[child.pk] = []
        month = start
        for _i in range(months):
            following = (month + datetime.timedelta(days=32)).replace(day=1)
            weeks, week, count = [], [None] * 5, 0
            day = month
            while day < following:
                if day.weekday() < 5:
                    booked = names.get((child.pk, day), [])
                    count += len(booked)
                    week[day.weekday()] = (day, booked)
                if day.weekday() == 6 or day + datetime.timedelta(days=1) == following:
                    if any(week):
                        weeks.append(week)
                    week = [None] * 5
                day += datetime.timedelta(days=1)
            result[child.pk].append(BookedMonth(month, weeks, count))
            month = following
    return result


def attendance_per_month(start: datetime.date, end: datetime.date) -> dict:
    """Children recorded present, per month and kind of activity, between two days (included):
    {(first day of the month, kind): count}. One grouped query (the dashboard's chart)."""
    rows = (
        Attendance.objects.filter(date__gte=start, date__lte=end, state=Attendance.State.PRESENT)
        .annotate(month=TruncMonth("date"))
        .values("month", "activity__kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(row["month"], row["activity__kind"]): row["count"] for row in rows}
