import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from portail.agenda.models import AbsenceReason, Activity, Attendance, Booking, PriceBracket
from portail.agenda.services import declare_absence
from portail.billing import selectors
from portail.billing.models import LedgerEntry
from tests.billing.factories import make_activity

DAY = datetime.date(2027, 1, 12)  # a Tuesday
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _after_day():
    # Only a day that has ended is billed: these tests run the next morning unless they travel.
    with time_machine.travel(datetime.datetime(2027, 1, 13, 9, tzinfo=PARIS), tick=False):
        yield


@pytest.mark.django_db
def test_daily_run_debits_consumption_once(parent):
    _user, household, child = parent
    child.first_name = "Léa"
    child.save()
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    morning = make_activity(child.school, Activity.Kind.MORNING, "1.40")
    evening = make_activity(child.school, Activity.Kind.EVENING1, "1.60", surcharge="2.00")
    evening2 = make_activity(child.school, Activity.Kind.EVENING2, "1.60")
    Booking.objects.create(child=child, activity=lunch, date=DAY)
    Booking.objects.create(child=child, activity=morning, date=DAY)
    Booking.objects.create(child=child, activity=evening2, date=DAY)
    personal = AbsenceReason.objects.create(name="Convenance", charge_ratio=Decimal("0.5"))
    declare_absence(child, DAY, [morning], personal)
    illness = AbsenceReason.objects.create(name="Maladie", charge_ratio=Decimal("0"))
    declare_absence(child, DAY, [evening2], illness)
    Attendance.objects.create(child=child, activity=evening, date=DAY, state="present")

    call_command("bill_consumption", "--date", DAY.isoformat())
    call_command("bill_consumption", "--date", DAY.isoformat())  # idempotent

    entries = {e.activity_id: e for e in LedgerEntry.objects.filter(source="consumption")}
    assert set(entries) == {lunch.pk, morning.pk, evening.pk}
    assert entries[lunch.pk].amount == Decimal("-4.10")
    assert entries[lunch.pk].label == "Restauration scolaire — Léa — mardi 12 janvier 2027"
    assert entries[morning.pk].amount == Decimal("-0.70")
    assert entries[evening.pk].amount == Decimal("-3.60")
    assert entries[lunch.pk].date == DAY and entries[lunch.pk].service_date == DAY
    assert selectors.balance_of(household) == Decimal("-8.40")
    assert set(Attendance.objects.filter(date=DAY).values_list("billed", flat=True)) == {True}
    household.refresh_from_db()
    assert household.negative_balance_since is not None


@pytest.mark.django_db
def test_price_follows_the_family_quotient_bracket(parent):
    _user, household, child = parent
    household.family_quotient = 600
    household.save()
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    PriceBracket.objects.create(activity=lunch, qf_min=0, qf_max=700, price=Decimal("2.05"))
    PriceBracket.objects.create(activity=lunch, qf_min=701, qf_max=None, price=Decimal("4.50"))
    Booking.objects.create(child=child, activity=lunch, date=DAY)
    call_command("bill_consumption", "--date", DAY.isoformat())
    assert selectors.balance_of(household) == Decimal("-2.05")


@pytest.mark.django_db
def test_cancelled_bookings_cost_nothing(parent):
    _user, household, child = parent
    lunch = make_activity(child.school, Activity.Kind.LUNCH)
    Booking.objects.create(child=child, activity=lunch, date=DAY, status="cancelled")
    call_command("bill_consumption", "--date", DAY.isoformat())
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_forecast_shows_the_day_it_turns_negative(parent, cashier, client):
    from portail.billing import services

    _user, household, child = parent
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    with time_machine.travel(datetime.datetime(2027, 1, 11, 9), tick=False):
        services.record_cash_payment(household, "10", cashier)
        for day in (12, 14, 15, 18):
            Booking.objects.create(child=child, activity=lunch, date=datetime.date(2027, 1, day))
        forecast = selectors.forecast(household)
        client.force_login(_user)
        html = client.get("/paiements/").content.decode()
    assert "vos 4 prestations réservées" in html and "-6,40" in html
    assert "Il deviendrait négatif le vendredi 15 janvier 2027" in html
    assert forecast.upcoming == 4
    assert forecast.cost == Decimal("16.40")
    assert forecast.projected == Decimal("-6.40")
    assert forecast.negative_on == datetime.date(2027, 1, 15)


@pytest.mark.django_db
def test_command_defaults_to_yesterday_and_rejects_bad_dates(parent):
    _user, household, child = parent
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    Booking.objects.create(child=child, activity=lunch, date=DAY)
    with time_machine.travel(datetime.datetime(2027, 1, 13, 2), tick=False):
        call_command("bill_consumption")
    assert selectors.balance_of(household) == Decimal("-4.10")
    with pytest.raises(CommandError):
        call_command("bill_consumption", "--date", "12/01/2027")


@pytest.mark.django_db
def test_run_in_batches_notifies_each_crossing_once(parent, cashier):
    from portail.billing import services
    from portail.messaging.models import Message
    from tests.factories import make_parent

    _user, rich, rich_child = parent
    other_user, poor, poor_child = make_parent()
    poor_child.school = rich_child.school
    poor_child.save()
    lunch = make_activity(rich_child.school, Activity.Kind.LUNCH, "4.10")
    morning = make_activity(rich_child.school, Activity.Kind.MORNING, "1.40")
    services.record_cash_payment(rich, "50", cashier)
    services.record_cash_payment(poor, "2", cashier)
    for child in (rich_child, poor_child):
        for activity in (lunch, morning):
            Booking.objects.create(child=child, activity=activity, date=DAY)

    assert services.bill_consumption(DAY, batch=1) == 4
    assert services.bill_consumption(DAY, batch=1) == 0

    assert selectors.balance_of(rich) == Decimal("44.50")
    assert selectors.balance_of(poor) == Decimal("-3.50")
    assert selectors.sum_of_entries(poor) == Decimal("-3.50")
    rich.refresh_from_db()
    poor.refresh_from_db()
    assert rich.negative_balance_since is None
    assert poor.negative_balance_since is not None
    notices = Message.objects.filter(subject__icontains="négatif")
    assert list(notices.values_list("recipient", flat=True)) == [other_user.pk]


# --- only days that have ended ------------------------------------------------------------------


def _booked_lunch(child, day=DAY):
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    Booking.objects.create(child=child, activity=lunch, date=day)
    return lunch


def _run_command(*args):
    """`manage.py bill_consumption ...` as cron runs it: (exit status, message on stderr).
    Django exits with a CommandError's `returncode` and prints its message."""
    try:
        call_command("bill_consumption", *args)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


@pytest.mark.django_db
def test_today_and_future_days_are_refused_with_a_message_and_an_exit_status(parent):
    _user, household, child = parent
    _booked_lunch(child)
    _booked_lunch(child, DAY + datetime.timedelta(days=2))
    with time_machine.travel(datetime.datetime(2027, 1, 12, 20, tzinfo=PARIS), tick=False):
        status, err = _run_command("--date", DAY.isoformat())
        assert status == 1
        assert "mardi 12 janvier 2027 n'est pas terminé" in err
        assert "facturées à partir de demain" in err
        status, err = _run_command("--date", "2027-01-14")
        assert status == 1 and "jeudi 14 janvier 2027 est dans le futur" in err
        status, err = _run_command()  # the default, yesterday, is fine
        assert status == 0
    assert not LedgerEntry.objects.exists()
    assert not Attendance.objects.filter(billed=True).exists()
    # the next day, the same command bills it
    call_command("bill_consumption", "--date", DAY.isoformat())
    assert selectors.balance_of(household) == Decimal("-4.10")


@pytest.mark.django_db
def test_today_is_billed_after_the_closing_time_and_its_sheet_stays_editable(parent):
    from portail.agenda.services import record_attendance
    from portail.billing.services import BillingError, bill_consumption
    from portail.core.models import TownSettings

    _user, household, child = parent
    lunch = _booked_lunch(child)
    evening = make_activity(child.school, Activity.Kind.EVENING1, "1.60")
    Attendance.objects.create(child=child, activity=lunch, date=DAY, state="present")
    town = TownSettings.current()
    town.consumption_closing_time = datetime.time(18, 30)
    town.save()
    with time_machine.travel(datetime.datetime(2027, 1, 12, 18, 0, tzinfo=PARIS), tick=False):
        with pytest.raises(BillingError, match="facturées à partir de 18 h 30"):
            bill_consumption(DAY)
        status, err = _run_command("--date", DAY.isoformat())
        assert status == 1 and "à partir de 18 h 30" in err
    with time_machine.travel(datetime.datetime(2027, 1, 12, 18, 45, tzinfo=PARIS), tick=False):
        assert bill_consumption(DAY) == 1
        # billed today, not locked: the evening sheet can still be taken
        assert not Attendance.objects.filter(billed=True).exists()
        assert record_attendance(evening, DAY, {child.pk: "present"}, None) == 1
    with time_machine.travel(datetime.datetime(2027, 1, 13, 2, tzinfo=PARIS), tick=False):
        assert bill_consumption(DAY) == 1  # the nightly run bills the late presence, then locks
        assert record_attendance(evening, DAY, {child.pk: "absent"}, None) == 0
    assert set(Attendance.objects.values_list("billed", flat=True)) == {True}
    assert selectors.balance_of(household) == Decimal("-6.70")  # 4,10 + 1,60 + 1,00 surcharge
    assert LedgerEntry.objects.filter(activity=lunch).count() == 1


@pytest.mark.django_db
def test_attendance_of_a_billed_past_day_is_locked(parent):
    from portail.agenda.services import add_unbooked_presence, record_attendance
    from portail.billing.services import bill_consumption
    from tests.factories import AgentFactory

    agent_user = AgentFactory()
    _user, _household, child = parent
    lunch = _booked_lunch(child)
    assert record_attendance(lunch, DAY, {child.pk: "present"}, agent_user) == 1
    bill_consumption(DAY)
    assert Attendance.objects.get().billed
    assert record_attendance(lunch, DAY, {child.pk: "absent"}, agent_user) == 0
    assert Attendance.objects.get().state == "present"
    with pytest.raises(Exception, match="facturé"):
        add_unbooked_presence(lunch, DAY, child, agent_user)


def _results():
    return sorted(
        LedgerEntry.objects.filter(source="consumption").values_list(
            "account__household_id", "amount", "label", "date", "service_date", "child_id"
        )
    )


@pytest.mark.django_db
def test_a_missed_day_billed_later_gives_the_same_result_and_twice_nothing_more(parent):
    from django.db import transaction

    from portail.billing.services import bill_consumption
    from tests.factories import make_parent

    _user, household, child = parent
    lunch = _booked_lunch(child)
    _other_user, other, other_child = make_parent(school=child.school)
    morning = make_activity(child.school, Activity.Kind.MORNING, "1.40")
    Booking.objects.create(child=other_child, activity=morning, date=DAY)
    Attendance.objects.create(child=other_child, activity=lunch, date=DAY, state="present")

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():  # the run on time, the next night
        assert bill_consumption(DAY) == 3
        on_time = (_results(), selectors.balance_of(household), selectors.balance_of(other))
        raise Rollback
    assert not LedgerEntry.objects.exists()

    with time_machine.travel(datetime.datetime(2027, 1, 18, 2, tzinfo=PARIS), tick=False):
        assert bill_consumption(DAY) == 3  # the night was missed: billed five days later
        assert bill_consumption(DAY) == 0
        call_command("bill_consumption", "--date", DAY.isoformat())
    assert (_results(), selectors.balance_of(household), selectors.balance_of(other)) == on_time
    assert on_time[1] == Decimal("-4.10") and on_time[2] == Decimal("-6.50")
