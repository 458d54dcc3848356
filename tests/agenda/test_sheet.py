"""The attendance sheet at the scale of a school (issue 13 item 5): filter by class level,
« Tous présents » then the exceptions, an excused absence's reason chosen by the agent, the count
present / booked."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from portail.agenda import services
from portail.agenda.models import AbsenceReason, Activity, Attendance
from portail.agenda.selectors import billable_items
from tests.agenda.factories import book
from tests.conftest import race
from tests.factories import AgentFactory, ChildFactory

MONDAY = datetime.date(2026, 11, 30)
LUNCH = Activity.Kind.LUNCH

pytestmark = pytest.mark.django_db


@pytest.fixture
def lunch_sheet(family):
    """Six children booked on Monday's lunch: three in CP, three in CM2."""
    _user, _household, child, activities = family
    lunch = activities[LUNCH]
    children = [
        ChildFactory(school=child.school, level=level, last_name=f"Enfant{n}")
        for n, level in enumerate(["CP", "CP", "CP", "CM2", "CM2", "CM2"])
    ]
    for kid in children:
        book(kid, lunch, MONDAY)
    return lunch, children


@pytest.fixture
def reasons(db):
    return {
        name: AbsenceReason.objects.create(name=name, charge_ratio=Decimal(ratio), position=n)
        for n, (name, ratio) in enumerate(
            [("Maladie", "0"), ("Rendez-vous médical", "0"), ("Sortie scolaire", "0"),
             ("Autre", "1")]
        )
    }  # fmt: skip


def _states(lunch):
    return {
        a.child.last_name: (a.state, a.absence_reason.name if a.absence_reason else None)
        for a in Attendance.objects.filter(activity=lunch, date=MONDAY).select_related(
            "child", "absence_reason"
        )
    }


def test_all_present_then_one_absent_with_a_reason(client, frozen, agent, lunch_sheet, reasons):
    lunch, children = lunch_sheet
    url = reverse("agenda_agent:sheet", args=[lunch.pk, MONDAY.isoformat()])
    client.force_login(agent)
    page = unescape(client.get(url).content.decode())
    assert "0</strong> présent(s) sur <strong>6</strong> réservé(s)" in page
    assert "Tous présents" in page and "Rendez-vous médical" in page

    # « Tous présents », with one child already marked absent in the form: the others present.
    client.post(url, {"all_present": "1", f"state-{children[1].pk}": "absent"})
    states = _states(lunch)
    assert [states[c.last_name][0] for c in children] == ["present", "absent"] + ["present"] * 4
    page = unescape(client.get(url).content.decode())
    assert "5</strong> présent(s) sur <strong>6</strong> réservé(s)" in page

    # Then the exception: one absent, excused for a medical appointment (not charged).
    medical = reasons["Rendez-vous médical"]
    client.post(
        url,
        {**{f"state-{c.pk}": "present" for c in children}, f"reason-{children[0].pk}": medical.pk},
    )
    states = _states(lunch)
    assert states[children[0].last_name] == ("excused", "Rendez-vous médical")
    assert states[children[1].last_name] == ("present", None)
    items = {i.child_id: i for i in billable_items(MONDAY)}
    assert (items[children[0].pk].kind, items[children[0].pk].ratio) == ("excused", Decimal("0"))
    page = unescape(client.get(url).content.decode())
    assert f'<option value="{medical.pk}" selected>Rendez-vous médical' in page
    # The excuse can be taken back: present again.
    client.post(url, {f"state-{children[0].pk}": "present", f"reason-{children[0].pk}": ""})
    assert _states(lunch)[children[0].last_name] == ("present", None)


def test_filter_by_level_and_all_present_only_for_the_rows_shown(
    client, frozen, agent, lunch_sheet
):
    lunch, children = lunch_sheet
    url = reverse("agenda_agent:sheet", args=[lunch.pk, MONDAY.isoformat()])
    client.force_login(agent)
    page = unescape(client.get(url, {"niveau": "CM2"}).content.decode())
    assert "Enfant3" in page and "Enfant0" not in page
    assert "0</strong> présent(s) sur <strong>3</strong> réservé(s)" in page
    assert "feuille entière" in page
    response = client.post(url, {"niveau": "CM2", "all_present": "1"})
    assert response["Location"].endswith("?niveau=CM2")
    assert set(_states(lunch)) == {c.last_name for c in children[3:]}
    # An unknown level shows the whole sheet.
    assert "Enfant0" in client.get(url, {"niveau": "<script>"}).content.decode()


def test_locked_rows_stay_as_they_are(client, frozen, agent, family, lunch_sheet, reasons):
    lunch, children = lunch_sheet
    billed = Attendance.objects.create(
        child=children[0], activity=lunch, date=MONDAY, state="absent", billed=True
    )
    services.declare_absence(children[1], MONDAY, [lunch], reasons["Maladie"])  # by the family
    client.force_login(agent)
    url = reverse("agenda_agent:sheet", args=[lunch.pk, MONDAY.isoformat()])
    client.post(
        url,
        {"all_present": "1", f"state-{children[0].pk}": "present",
         f"reason-{children[1].pk}": reasons["Autre"].pk},
    )  # fmt: skip
    billed.refresh_from_db()
    assert billed.state == "absent"
    assert _states(lunch)[children[1].last_name] == ("excused", "Maladie")
    assert [_states(lunch)[c.last_name][0] for c in children[2:]] == ["present"] * 4


def test_a_five_hundred_child_all_present_is_a_few_queries(
    frozen, agent, family, django_assert_max_num_queries
):
    _user, _household, child, activities = family
    lunch = activities[LUNCH]
    kids = ChildFactory.create_batch(500, school=child.school)
    for kid in kids:
        book(kid, lunch, MONDAY)
    with django_assert_max_num_queries(12):
        written = services.record_attendance(lunch, MONDAY, {k.pk: "present" for k in kids}, agent)
    assert written == 500
    assert Attendance.objects.filter(state="present").count() == 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agents_saving_one_sheet_at_once(family):
    _user, _household, child, activities = family
    lunch = activities[LUNCH]
    kids = ChildFactory.create_batch(20, school=child.school)
    for kid in kids:
        book(kid, lunch, MONDAY)
    first, second = AgentFactory(), AgentFactory()
    results = race(
        lambda: services.record_attendance(lunch, MONDAY, {k.pk: "present" for k in kids}, first),
        lambda: services.record_attendance(lunch, MONDAY, {k.pk: "absent" for k in kids}, second),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    # Served one after the other: one row per child, all with the last agent's state.
    rows = Attendance.objects.filter(activity=lunch, date=MONDAY)
    assert rows.count() == 20 and len(set(rows.values_list("state", flat=True))) == 1
