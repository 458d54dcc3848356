"""« Effectifs » for the kitchen (issue 13, item 4): per day × school × activity, with capacity,
places open, a CSV export, and the day's count marked final once families may no longer change
it."""

import csv
import datetime
import io
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portail.agenda.models import Booking
from tests.agenda.factories import book, make_activities
from tests.factories import ChildFactory, SchoolFactory, make_parent

URL = "/gestion/agenda/effectifs/"
THURSDAY = datetime.date(2026, 11, 26)  # the frozen day (tests/agenda/conftest.py)
WEDNESDAY = datetime.date(2026, 12, 2)


@pytest.fixture
def schools(db):
    north, south = SchoolFactory(name="École Nord"), SchoolFactory(name="École Sud")
    return {"north": make_activities(north, capacity=3), "south": make_activities(south)}


def _figures(response):
    return [
        (day.date, row["activity__school__name"], row["activity__name"], row["booked"], row["open"])
        for day in response.context["days"]
        for row in day.rows
    ]


def test_the_page_shows_the_bookings_of_the_next_five_school_days(frozen, client, agent, schools):
    north, south = schools["north"], schools["south"]
    first, second = ChildFactory(), ChildFactory()
    book(first, north["lunch"], THURSDAY)
    book(second, north["lunch"], THURSDAY)
    book(second, north["evening1"], THURSDAY, status=Booking.Status.CANCELLED)
    book(first, south["lunch"], WEDNESDAY)
    book(first, south["lunch"], WEDNESDAY + datetime.timedelta(days=1))  # after the 5 days
    client.force_login(agent)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["start"] == THURSDAY and response.context["end"] == WEDNESDAY
    assert _figures(response) == [
        (THURSDAY, "École Nord", "Restauration scolaire", 2, 1),
        (WEDNESDAY, "École Sud", "Restauration scolaire", 1, None),
    ]
    page = response.content.decode()
    assert "Effectifs pour la cuisine" in page and "illimitée" in page
    # Thursday's deadline is past; Wednesday's is on Saturday night (3 full days).
    thursday, wednesday = response.context["days"]
    assert thursday.final and not wednesday.final
    assert page.count("Effectif définitif") == 1 and page.count("Effectif provisoire") == 1
    assert "peuvent encore réserver ou annuler jusqu’au 28/11/2026 23:59" in page


def test_a_chosen_period_and_a_wrong_one(frozen, client, agent, schools):
    book(ChildFactory(), schools["north"]["lunch"], THURSDAY)
    client.force_login(agent)
    later = client.get(URL, {"start": "2026-11-27", "end": "2026-12-31"})
    assert later.status_code == 200 and _figures(later) == []
    assert "Aucun enfant n’est inscrit ces jours-là." in later.content.decode()

    backwards = client.get(URL, {"start": "2026-12-02", "end": "2026-11-26"})
    assert backwards.status_code == 400
    assert "La fin de la période est avant son début" in backwards.content.decode()
    assert 'value="2026-12-02"' in backwards.content.decode()  # nothing typed lost
    too_long = client.get(URL, {"start": "2026-11-26", "end": "2027-06-30"})
    assert too_long.status_code == 400
    assert "Affichez deux mois au plus." in too_long.content.decode()


def test_the_csv_export_holds_the_same_figures(frozen, client, agent, schools):
    north = schools["north"]
    for child in (ChildFactory(), ChildFactory(), ChildFactory()):
        book(child, north["lunch"], WEDNESDAY)
    client.force_login(agent)

    response = client.get(URL + "csv/", {"start": "2026-11-26", "end": "2026-12-02"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="effectifs-2026-11-26-au-2026-12-02.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Date", "École", "Activité", "Inscrits", "Capacité", "Places libres",
         "Effectif définitif"],
        ["02/12/2026", "École Nord", "Restauration scolaire", "3", "3", "0", "non"],
    ]  # fmt: skip


def test_the_ods_export_opens_and_equals_the_csv(frozen, client, agent, schools):
    import tablib

    for child in (ChildFactory(), ChildFactory()):
        book(child, schools["north"]["lunch"], WEDNESDAY)
    book(ChildFactory(), schools["south"]["morning"], WEDNESDAY)
    client.force_login(agent)
    period = {"start": "2026-11-26", "end": "2026-12-02"}

    response = client.get(URL + "ods/", period)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert response["Content-Disposition"] == (
        'attachment; filename="effectifs-2026-11-26-au-2026-12-02.ods"'
    )
    sheet = tablib.Dataset().load(response.content, format="ods")
    ods = [sheet.headers] + [
        ["" if v in ("", None) else str(int(v)) if isinstance(v, float) else v for v in row]
        for row in sheet
    ]
    text = client.get(URL + "csv/", period).content.decode("utf-8-sig")
    assert ods == list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ods[1][:4] == ["02/12/2026", "École Nord", "Restauration scolaire", "2"]
    # The page links to it, and a wrong period is refused as for the CSV.
    assert "Télécharger (ODS)" in client.get(URL).content.decode()
    assert client.get(URL + "ods/", {"start": "2026-12-02", "end": "2026-11-26"}).status_code == 400


def test_parents_and_the_cashier_may_not_see_the_headcounts(client, schools):
    from tests.factories import CashierFactory

    for user in (make_parent()[0], CashierFactory()):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(URL + "csv/").status_code == 403
        assert client.get(URL + "ods/").status_code == 403


DAYS = [THURSDAY + datetime.timedelta(days=n) for n in (0, 1, 4, 5, 6)]
booking = st.tuples(
    st.integers(0, 5),  # child
    st.sampled_from(["north", "south"]),
    st.sampled_from(["morning", "lunch", "evening1"]),
    st.sampled_from(DAYS),
    st.sampled_from([Booking.Status.BOOKED, Booking.Status.CANCELLED]),
)


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bookings=st.lists(booking, max_size=25, unique_by=lambda b: (b[0], b[1], b[2], b[3])))
def test_the_headcounts_equal_the_bookings(frozen, client, agent, bookings):
    with transaction.atomic():
        activities = {
            "north": make_activities(SchoolFactory(name="École Nord"), capacity=4),
            "south": make_activities(SchoolFactory(name="École Sud")),
        }
        children = [ChildFactory() for _ in range(6)]
        for child, school, kind, day, status in bookings:
            book(children[child], activities[school][kind], day, status=status)
        client.force_login(agent)

        response = client.get(URL)

        expected = Counter(
            (day, activities[school][kind].name, school)
            for _child, school, kind, day, status in bookings
            if status == Booking.Status.BOOKED
        )
        names = {"École Nord": "north", "École Sud": "south"}
        shown = {
            (day, activity, names[school]): booked
            for day, school, activity, booked, _open in _figures(response)
        }
        assert shown == dict(expected)
        for day, school, _activity, booked, places in _figures(response):
            assert places == (max(4 - booked, 0) if school == "École Nord" else None)
        transaction.set_rollback(True)
