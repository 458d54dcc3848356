import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.agenda import services
from portail.agenda.days import plan_days
from portail.agenda.models import Activity, Attendance, Booking, ClosedDay
from portail.agenda.selectors import billable_items
from portail.agenda.services import Skip
from portail.core.models import AuditEvent, TownSettings
from portail.families.services import booking_block_reason
from tests.agenda.factories import book, make_activities
from tests.factories import ChildFactory, SchoolFactory, credit, make_parent

MONDAY = datetime.date(2026, 11, 30)  # first day still open on Thursday 26/11
FRIDAY = datetime.date(2026, 11, 27)  # past the deadline on Thursday 26/11
TUESDAY = datetime.date(2026, 12, 1)
LUNCH, MORNING = Activity.Kind.LUNCH, Activity.Kind.MORNING

pytestmark = pytest.mark.django_db


def test_parent_books_and_cancels_a_day(frozen, family):
    user, _household, child, activities = family
    outcome = services.save_day(child, MONDAY, [LUNCH, MORNING], user)
    assert {c.kind for c in outcome.booked} == {LUNCH, MORNING}
    assert Booking.objects.filter(child=child, date=MONDAY, status="booked").count() == 2

    outcome = services.save_day(child, MONDAY, [MORNING], user)
    assert [c.kind for c in outcome.cancelled] == [LUNCH]
    lunch = Booking.objects.get(child=child, activity=activities[LUNCH], date=MONDAY)
    assert lunch.status == "cancelled" and lunch.cancelled_by == user

    # Booking again reuses the cancelled row (one row per child, activity and day).
    services.save_day(child, MONDAY, [MORNING, LUNCH], user)
    lunch.refresh_from_db()
    assert lunch.status == "booked" and lunch.cancelled_at is None


def test_deadline_refuses_parents_not_agents(frozen, family, agent):
    user, _household, child, activities = family
    outcome = services.save_day(child, FRIDAY, [LUNCH], user)
    assert [c.reason for c in outcome.skipped] == [Skip.DEADLINE]
    assert not Booking.objects.exists()

    outcome = services.save_day(child, FRIDAY, [LUNCH], agent, as_agent=True)
    assert len(outcome.booked) == 1
    assert AuditEvent.objects.filter(action="agenda.bookings_changed").count() == 1
    # ... and a parent can no longer cancel it.
    outcome = services.save_day(child, FRIDAY, [], user)
    assert [c.reason for c in outcome.skipped] == [Skip.DEADLINE]
    assert Booking.objects.get().status == "booked"


def test_closed_days_cannot_be_booked(frozen, family):
    user, _household, child, activities = family
    ClosedDay.objects.create(date=MONDAY, reason="Grève", source="agent", school=child.school)
    wednesday = MONDAY + datetime.timedelta(days=2)  # activities open 0134: no Wednesday
    saturday = MONDAY + datetime.timedelta(days=5)
    for day in (MONDAY, wednesday, saturday):
        outcome = services.save_day(child, day, [LUNCH], user)
        assert [c.reason for c in outcome.skipped] == [Skip.CLOSED], day
    assert not Booking.objects.exists()


def test_blocked_account_cannot_book_but_can_cancel(frozen, family):
    user, household, child, activities = family
    book(child, activities[LUNCH], MONDAY)
    household.negative_balance_since = datetime.date(2026, 10, 1)
    household.save()
    outcome = services.save_day(child, MONDAY, [MORNING], user)
    assert [(c.kind, c.reason) for c in outcome.skipped] == [(MORNING, Skip.BLOCKED)]
    assert [c.kind for c in outcome.cancelled] == [LUNCH]
    assert "01/10/2026" in next(iter(outcome.block_reasons.values()))
    assert Booking.objects.get().status == "cancelled"


def _no_credit_family():
    user, household, child = make_parent()
    return user, household, child, make_activities(child.school)


def test_family_without_credit_cannot_book(frozen):
    user, household, child, activities = _no_credit_family()
    outcome = services.save_day(child, MONDAY, [LUNCH], user)
    assert [c.reason for c in outcome.skipped] == [Skip.BLOCKED]
    assert "crédité" in next(iter(outcome.block_reasons.values()))
    outcome = services.bulk_change([child], [LUNCH], [MONDAY, FRIDAY], "book", user)
    assert {c.reason for c in outcome.skipped} == {Skip.BLOCKED} and not outcome.booked
    assert not Booking.objects.exists()
    # an agent may still book for the family
    assert services.save_day(child, MONDAY, [LUNCH], user, as_agent=True).booked


def test_family_without_credit_can_cancel(frozen):
    user, household, child, activities = _no_credit_family()
    book(child, activities[LUNCH], MONDAY)
    book(child, activities[MORNING], TUESDAY)
    outcome = services.save_day(child, MONDAY, [], user)
    assert [c.kind for c in outcome.cancelled] == [LUNCH]
    outcome = services.bulk_change([child], [MORNING], [TUESDAY], "cancel", user)
    assert len(outcome.cancelled) == 1 and not outcome.skipped
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}


def test_credit_rule_follows_the_balance_and_the_grace_period(frozen):
    from portail.billing.services import post_entry

    user, household, child, activities = _no_credit_family()
    assert booking_block_reason(household) is not None  # new family at 0,00 €: no grace
    credit(household, "4.10")
    household.refresh_from_db()
    assert household.has_credit and booking_block_reason(household) is None
    post_entry(household, "-4.10", "Restauration scolaire", "consumption")
    household.refresh_from_db()
    assert not household.has_credit
    assert booking_block_reason(household) is not None  # 0,00 €: no credit
    post_entry(household, "-1.40", "Accueil matin", "consumption")
    household.refresh_from_db()
    # went negative today: within the grace period, it still books
    assert services.save_day(child, MONDAY, [LUNCH], user).booked
    three_days_later = datetime.date(2026, 11, 29)
    assert booking_block_reason(household, three_days_later) is None
    assert booking_block_reason(household, datetime.date(2026, 12, 31)) is not None


def test_booking_allowed_at_zero_when_the_town_does_not_require_credit(frozen):
    town = TownSettings.current()
    town.credit_required_to_book = False
    town.save()
    user, household, child, activities = _no_credit_family()
    assert services.save_day(child, MONDAY, [LUNCH], user).booked


def test_capacity_full(frozen, family):
    user, _household, child, activities = family
    lunch = activities[LUNCH]
    lunch.capacity = 1
    lunch.save()
    other = ChildFactory(school=child.school)
    book(other, lunch, MONDAY)
    outcome = services.save_day(child, MONDAY, [LUNCH], user)
    assert [c.reason for c in outcome.skipped] == [Skip.FULL]


def test_bulk_create_then_delete_with_reasons(frozen, family):
    user, household, child, activities = family
    sibling = ChildFactory(household=household, school=child.school)
    nowhere = ChildFactory(household=household, school=None)
    ClosedDay.objects.create(date=datetime.date(2026, 12, 8), reason="Formation", source="agent")
    book(child, activities[LUNCH], datetime.date(2026, 12, 1))
    days = plan_days(FRIDAY, datetime.date(2026, 12, 11), "0134")
    assert days[0] == FRIDAY and len(days) == 9

    outcome = services.bulk_change([child, sibling, nowhere], [LUNCH], days, "book", user)
    reasons = {}
    for change in outcome.skipped:
        reasons.setdefault((change.child.pk, change.reason), []).append(change.date)
    assert reasons[(child.pk, Skip.DEADLINE)] == [FRIDAY]
    assert reasons[(child.pk, Skip.CLOSED)] == [datetime.date(2026, 12, 8)]
    assert reasons[(child.pk, Skip.ALREADY_BOOKED)] == [datetime.date(2026, 12, 1)]
    assert len(reasons[(nowhere.pk, Skip.NOT_ENROLLED)]) == 9
    assert len(outcome.booked) == 6 + 7
    assert Booking.objects.filter(status="booked").count() == 14

    outcome = services.bulk_change([child, sibling], [LUNCH, MORNING], days, "cancel", user)
    assert len(outcome.cancelled) == 14
    assert Booking.objects.filter(status="booked").count() == 0
    not_booked = [c for c in outcome.skipped if c.reason == Skip.NOT_BOOKED]
    assert len(not_booked) == 2 * 7  # mornings were never booked


def test_bulk_school_year_books_everything_in_few_queries(family):
    # Its speed is measured by `make bench` (bench/measures.py), not asserted here.
    user, household, child, activities = family
    children = [child] + [ChildFactory(household=household, school=child.school) for _ in range(2)]
    services.sync_holiday_closures(2026, "Zone A")
    days = plan_days(datetime.date(2026, 9, 1), datetime.date(2027, 7, 4), "01234")
    kinds = [k for k, _label in Activity.Kind.choices]
    august = datetime.datetime(2026, 8, 20, 10, 0)
    with CaptureQueriesContext(connection) as queries, time_machine.travel(august, tick=False):
        outcome = services.bulk_change(children, kinds, days, "book", user)
    assert len(outcome.booked) > 3 * 4 * 130  # about 140 open days (Mon, Tue, Thu, Fri)
    assert Booking.objects.count() == len(outcome.booked)
    # Households and activities locked, closures, bookings, counts... a few queries whatever the
    # number of days; the rows are inserted in batches (SQLite caps the parameters per query).
    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    assert len(queries) - len(inserts) <= 12
    assert len(inserts) <= len(outcome.booked) // 50  # at least 50 rows an INSERT


def test_agent_closure_cancels_bookings_notifies_and_is_audited(frozen, family, agent):
    user, household, child, activities = family
    book(child, activities[LUNCH], MONDAY)
    other_school = ChildFactory(school=SchoolFactory())
    other_lunch = make_activities(other_school.school)[LUNCH]
    book(other_school, other_lunch, MONDAY)

    closure = services.add_closed_day(MONDAY, child.school, "Grève", agent)
    assert Booking.objects.get(child=child).status == "cancelled"
    assert Booking.objects.get(child=other_school).status == "booked"
    assert user.portal_messages.filter(subject__contains="30/11/2026").exists()
    assert AuditEvent.objects.filter(action="agenda.closure_added", actor=agent).exists()
    with pytest.raises(ValidationError):
        services.add_closed_day(MONDAY, child.school, "Encore", agent)

    services.remove_closed_day(closure, agent)
    assert not ClosedDay.objects.exists()
    assert AuditEvent.objects.filter(action="agenda.closure_removed").exists()


def test_attendance_drives_billable_items_and_billed_rows_are_locked(frozen, family, agent):
    user, household, child, activities = family
    day = datetime.date(2026, 11, 24)
    present = ChildFactory(school=child.school)
    absent = ChildFactory(school=child.school)
    walk_in = ChildFactory(school=child.school)
    lunch = activities[LUNCH]
    for c in (child, present, absent):
        book(c, lunch, day)
    from portail.agenda.models import AbsenceReason

    illness = AbsenceReason.objects.create(name="Maladie", charge_ratio=Decimal("0"))
    services.declare_absence(child, day, [lunch], illness)

    written = services.record_attendance(
        lunch, day, {present.pk: "present", absent.pk: "absent", child.pk: "present"}, agent
    )
    assert written == 2  # the excused absence stays excused
    services.add_unbooked_presence(lunch, day, walk_in, agent)
    items = {(i.child_id, i.kind, i.ratio) for i in billable_items(day)}
    assert items == {
        (child.pk, "excused", Decimal(0)),
        (present.pk, "booked", Decimal(1)),
        (absent.pk, "booked", Decimal(1)),
        (walk_in.pk, "unbooked", Decimal(1)),
    }
    Attendance.objects.filter(child=absent).update(billed=True)
    services.record_attendance(lunch, day, {absent.pk: "present"}, agent)
    assert Attendance.objects.get(child=absent).state == "absent"
    with pytest.raises(ValidationError):
        services.add_unbooked_presence(lunch, day, ChildFactory(), agent)
