"""A child's school change and a closed day reopened: bookings stay right, and so does the
ledger (issue 13 item 3)."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.core.exceptions import ValidationError

from portail.agenda import services
from portail.agenda.models import Activity, Booking, ClosedDay, SchoolMove
from portail.agenda.services import Skip
from portail.billing import selectors as billing
from portail.billing.models import LedgerEntry
from portail.billing.services import bill_consumption
from portail.core.models import AuditEvent
from tests.agenda.factories import book, make_activities
from tests.factories import ChildFactory, SchoolFactory

LUNCH, MORNING = Activity.Kind.LUNCH, Activity.Kind.MORNING
MONDAY_PAST = datetime.date(2026, 11, 23)
TUESDAY_PAST = datetime.date(2026, 11, 24)
MONDAY = datetime.date(2026, 11, 30)
TUESDAY = datetime.date(2026, 12, 1)
THURSDAY = datetime.date(2026, 12, 3)

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_school(db):
    school = SchoolFactory(name="École du Parc")
    return school, make_activities(school)


def _bill(*days):
    """The nightly consumption run of past days, run the day after each."""
    for day in days:
        with time_machine.travel(datetime.datetime(2026, 11, 25, 23, 0), tick=False):
            bill_consumption(day)


def test_school_change_cancels_refunds_moves_and_tells(frozen, family, agent, new_school):
    user, household, child, activities = family
    school, new_activities = new_school
    old_school = child.school
    for day in (MONDAY_PAST, TUESDAY_PAST, MONDAY, TUESDAY):
        book(child, activities[LUNCH], day)
    book(child, activities[MORNING], MONDAY)
    _bill(MONDAY_PAST, TUESDAY_PAST)
    assert billing.balance_of(household) == Decimal("91.80")  # 100 - 2 x 4,10

    # Back-dated: the family said late that the child changed school on Tuesday 24.
    move = services.change_school(child, school, TUESDAY_PAST, agent, level="CE2")

    child.refresh_from_db()
    assert (child.school, child.level) == (school, "CE2")
    states = dict(Booking.objects.filter(child=child).values_list("date", "status").distinct())
    assert states[MONDAY_PAST] == "booked"  # before the change: kept and charged
    cancelled = Booking.objects.filter(child=child, status="cancelled")
    assert cancelled.count() == 4
    assert set(cancelled.values_list("cancelled_by_move", flat=True)) == {move.pk}
    # The Tuesday already debited is refunded by a correction; nothing else moves.
    assert move.refunds == 1
    reversal = LedgerEntry.objects.get(source="reversal")
    assert reversal.amount == Decimal("4.10") and reversal.service_date == TUESDAY_PAST
    assert billing.balance_of(household) == Decimal("95.90")
    assert billing.ledger_check()[1] == []
    # The nightly run never charges the cancelled Tuesday again.
    _bill(TUESDAY_PAST)
    assert LedgerEntry.objects.filter(source="consumption").count() == 2
    assert billing.balance_of(household) == Decimal("95.90")

    assert AuditEvent.objects.filter(action="child.schooling_updated", actor=agent).exists()
    event = AuditEvent.objects.get(action="agenda.school_changed")
    assert event.data["bookings_cancelled"] == 4 and event.data["refunds"] == 1
    message = user.portal_messages.get(subject__contains="Changement d'école")
    assert "École du Parc" in message.body and "24/11/2026" in message.body
    assert old_school.name in message.body and "remboursé" in message.body

    # The equivalents at the new school: the days still to come, same kinds.
    proposals = services.move_proposals(move)
    assert [(p.date, p.kind, p.reason) for p in proposals] == [
        (MONDAY, MORNING, None),
        (MONDAY, LUNCH, None),
        (TUESDAY, LUNCH, None),
    ]
    outcome = services.book_equivalents(move, [p.key for p in proposals[1:]], agent)
    assert len(outcome.booked) == 2
    assert set(
        Booking.objects.filter(child=child, status="booked", date__gte=MONDAY).values_list(
            "activity", flat=True
        )
    ) == {new_activities[LUNCH].pk}
    assert user.portal_messages.filter(subject__contains="Réservations").exists()
    # Already booked now: proposed no more.
    assert [p.reason for p in services.move_proposals(move)][1:] == [Skip.ALREADY_BOOKED] * 2


def test_school_change_proposals_say_what_cannot_be_booked(frozen, family, agent):
    _user, _household, child, activities = family
    school = SchoolFactory()
    new_activities = make_activities(school, capacity=1)
    del_kind = new_activities.pop(MORNING)
    del_kind.delete()  # the new school has no morning care
    book(ChildFactory(school=school), new_activities[LUNCH], MONDAY)  # full that day
    ClosedDay.objects.create(date=TUESDAY, school=school, reason="Grève", source="agent")
    book(child, activities[MORNING], THURSDAY)
    book(child, activities[LUNCH], MONDAY)
    book(child, activities[LUNCH], TUESDAY)
    move = services.change_school(child, school, MONDAY, agent)
    assert [(p.date, p.reason) for p in services.move_proposals(move)] == [
        (MONDAY, Skip.FULL),
        (TUESDAY, Skip.CLOSED),
        (THURSDAY, Skip.NOT_ENROLLED),
    ]
    assert services.book_equivalents(move, ["2026-11-30|lunch"], agent).booked == []


def test_school_change_to_the_same_school_is_refused(frozen, family, agent):
    _user, _household, child, _activities = family
    with pytest.raises(ValidationError):
        services.change_school(child, child.school, MONDAY, agent)
    assert not SchoolMove.objects.exists()


def test_reopening_restores_what_the_closure_cancelled_and_never_bills(frozen, family, agent):
    user, household, child, activities = family
    sister = ChildFactory(household=household, school=child.school)
    book(child, activities[LUNCH], MONDAY)
    book(sister, activities[LUNCH], MONDAY)
    # Cancelled by the family before the closure: stays cancelled when the day reopens.
    book(child, activities[MORNING], MONDAY, status=Booking.Status.CANCELLED)
    entries = LedgerEntry.objects.count()

    closed = services.add_closed_day(MONDAY, child.school, "Grève", agent)
    assert not Booking.objects.filter(status="booked").exists()
    restored = services.remove_closed_day(closed, agent)

    assert restored == 2
    assert set(Booking.objects.filter(status="booked").values_list("child", "activity")) == {
        (child.pk, activities[LUNCH].pk),
        (sister.pk, activities[LUNCH].pk),
    }
    assert Booking.objects.get(activity=activities[MORNING]).status == "cancelled"
    assert not ClosedDay.objects.exists()
    message = user.portal_messages.get(subject__contains="rouvert")
    assert "30/11/2026" in message.body and "Restauration scolaire" in message.body
    assert AuditEvent.objects.get(action="agenda.closure_removed").data["bookings_restored"] == 2
    assert LedgerEntry.objects.count() == entries  # reopening bills nothing

    # The day is billed once when it is over, whatever the closing and reopening.
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0), tick=False):
        assert bill_consumption(MONDAY) == 2
        assert bill_consumption(MONDAY) == 0
    assert billing.ledger_check()[1] == []


def test_reopening_a_past_day_restores_nothing(frozen, family, agent):
    _user, _household, child, activities = family
    book(child, activities[LUNCH], MONDAY)
    closed = services.add_closed_day(MONDAY, child.school, "Grève", agent)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0), tick=False):
        assert services.remove_closed_day(closed, agent) == 0
        assert bill_consumption(MONDAY) == 0
    assert Booking.objects.get().status == "cancelled"


def test_reopening_skips_a_child_moved_since(frozen, family, agent, new_school):
    _user, _household, child, activities = family
    book(child, activities[LUNCH], THURSDAY)
    closed = services.add_closed_day(THURSDAY, None, "Grève", agent)
    services.change_school(child, new_school[0], MONDAY, agent)
    assert services.remove_closed_day(closed, agent) == 0
    assert Booking.objects.get().status == "cancelled"


def test_move_pages_for_the_agent(client, frozen, family, agent, new_school):
    from django.urls import reverse

    user, _household, child, activities = family
    school, new_activities = new_school
    book(child, activities[LUNCH], MONDAY)
    url = reverse("agenda_agent:move_child", args=[child.pk])
    client.force_login(user)
    assert client.get(url).status_code == 403  # parents never reach it
    client.force_login(agent)
    page = unescape(client.get(url).content.decode())
    assert "Changement d'école" in page and "Date d'effet" in page
    # The current school is not offered; a day outside the school years served is refused.
    assert f'value="{child.school.pk}"' not in page
    wrong = client.post(url, {"school": school.pk, "effective": "2031-01-06"})
    assert wrong.status_code == 400 and "années scolaires" in unescape(wrong.content.decode())
    assert not SchoolMove.objects.exists()

    done = client.post(url, {"school": school.pk, "effective": "2026-11-30", "level": ""})
    move = SchoolMove.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "agenda_agent:move_proposals", args=[move.pk]
    )
    proposals = unescape(client.get(done["Location"]).content.decode())
    assert "École du Parc" in proposals and "lundi 30/11/2026" in proposals
    assert 'name="chosen" value="2026-11-30|lunch" checked' in proposals
    none = client.post(done["Location"], {})
    assert none.status_code == 400 and "Choisissez au moins une réservation." in (
        none.content.decode()
    )
    booked = client.post(done["Location"], {"chosen": ["2026-11-30|lunch"]})
    assert booked.status_code == 302
    assert Booking.objects.get(child=child, status="booked").activity == new_activities[LUNCH]
    # An unknown move or child: 404.
    assert client.get(reverse("agenda_agent:move_proposals", args=[move.pk + 9])).status_code == 404
    assert client.get(reverse("agenda_agent:move_child", args=[child.pk + 99])).status_code == 404


def test_reopening_page_says_what_it_restores(client, frozen, family, agent):
    from django.urls import reverse

    _user, _household, child, activities = family
    book(child, activities[LUNCH], MONDAY)
    closed = services.add_closed_day(MONDAY, None, "Grève", agent)
    client.force_login(agent)
    url = reverse("agenda_agent:closure_remove", args=[closed.pk])
    ask = unescape(client.post(url).content.decode())
    assert "Les réservations annulées par cette fermeture (1) sont rétablies" in ask
    done = unescape(client.post(url, {"confirmed": "1"}, follow=True).content.decode())
    assert "1 réservation(s) rétablie(s)" in done
    assert Booking.objects.get().status == "booked"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agents_moving_one_child_at_once(family, new_school):
    from tests.conftest import race
    from tests.factories import AgentFactory

    _user, _household, child, activities = family
    book(child, activities[LUNCH], THURSDAY)
    first, second = AgentFactory(), AgentFactory()
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0), tick=False):
        results = race(
            lambda: services.change_school(child, new_school[0], MONDAY, first),
            lambda: services.change_school(child, new_school[0], MONDAY, second),
        )
    # The child's row is locked: the second agent finds the child already moved.
    assert sorted(type(r).__name__ for r in results) == ["SchoolMove", "ValidationError"]
    assert SchoolMove.objects.count() == 1
    assert AuditEvent.objects.filter(action="agenda.school_changed").count() == 1
