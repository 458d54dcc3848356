"""A button's value is input too: an over-long or negative number changes nothing (issue 12)."""

import pytest
from django.urls import reverse

from portail.procedures import services
from portail.procedures.kinds import get_procedure
from portail.procedures.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["9" * 5000, "-1", "1" * 30, "abc", "1"])
def test_removing_a_person_with_a_hostile_row_number_changes_nothing(client, parent, value):
    user, household, child = parent
    person = {"first_name": "Anne", "last_name": "Roux", "phone": "0600000000"}
    data = {"child": child.pk, "persons": [person]}
    sr = services.start_draft(get_procedure("personnes-autorisees"), household, user, data, step=1)
    client.force_login(user)
    response = client.post(reverse("procedures:step", args=[sr.pk, 1]), {"remove": value})
    assert response.status_code == 302
    assert ServiceRequest.objects.get().draft_data["persons"] == [person]


def test_removing_the_first_row_removes_it(client, parent):
    user, household, child = parent
    person = {"first_name": "Anne", "last_name": "Roux", "phone": "0600000000"}
    data = {"child": child.pk, "persons": [person]}
    sr = services.start_draft(get_procedure("personnes-autorisees"), household, user, data, step=1)
    client.force_login(user)
    client.post(reverse("procedures:step", args=[sr.pk, 1]), {"remove": "0"})
    assert ServiceRequest.objects.get().draft_data["persons"] == []
