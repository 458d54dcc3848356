"""Dates a parent types stay within the school years the town serves (issue 12, item 6)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portail.agenda.deadline import served_period
from portail.procedures import services
from portail.procedures.kinds import get_procedure
from portail.procedures.models import ServiceRequest, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC), tick=False)


def test_the_served_period_is_this_school_year_and_the_next():
    assert served_period() == (datetime.date(2026, 9, 1), datetime.date(2028, 7, 4))
    assert served_period(datetime.date(2027, 7, 20)) == (
        datetime.date(2026, 9, 1),
        datetime.date(2028, 7, 4),
    )


@pytest.mark.parametrize("typed", ["9999-12-31", "2028-07-05", "2100-01-01"])
def test_an_absence_beyond_the_school_years_is_refused_beside_the_field(
    client, parent, activities, illness, typed
):
    user, household, child = parent
    client.force_login(user)
    client.post("/demarches/absence/", {"terms": "on", "child": child.pk})
    sr = ServiceRequest.objects.get()
    response = client.post(
        reverse("procedures:step", args=[sr.pk, 1]),
        {"reason": illness.pk, "date": typed, "activities": [activities[0].pk]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez une date dans les années scolaires servies, du 01/09/2026 au 04/07/2028" in (
        html
    )
    assert f'value="{typed}"' in html  # nothing typed is lost
    sr.refresh_from_db()
    assert "date" not in sr.draft_data and sr.status == Status.DRAFT


def test_a_stored_draft_with_an_absurd_date_cannot_be_submitted(parent, activities, illness):
    user, household, child = parent
    data = {
        "terms": True,
        "child": child.pk,
        "reason": illness.pk,
        "date": "9999-12-31",
        "activities": [activities[0].pk],
    }
    sr = services.start_draft(get_procedure("absence"), household, user, data, step=2)
    with pytest.raises(ValidationError):
        services.submit(sr, user)
    sr.refresh_from_db()
    assert sr.status == Status.DRAFT and not sr.reference


def test_a_booking_period_beyond_the_school_years_is_refused(client, parent, activities):
    user, household, child = parent
    client.force_login(user)
    params = {"children": [child.pk], "action": "create", "kinds": ["lunch"], "weekdays": ["0"]}
    html = client.get(
        reverse("agenda:bulk_period"), {**params, "start": "2026-12-01", "end": "9999-12-31"}
    ).content.decode()
    assert "Choisissez une date dans les années scolaires servies" in html
    assert 'value="9999-12-31"' in html
