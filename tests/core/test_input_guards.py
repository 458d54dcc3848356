"""The generic guards behind the hostile-input walk, one by one (issue 12, item 5)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from portail.core.converters import MAX_ID, parse_id
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_a_path_a_search_or_a_form_is_a_400(client):
    client.force_login(AgentFactory())
    assert client.get("/gestion/comptes/", {"q": "a\x00b"}).status_code == 400
    assert client.get("/aide/\x00/").status_code == 400
    form = "application/x-www-form-urlencoded"
    assert client.post("/nous-contacter/", "name=%00", content_type=form).status_code == 400
    # Multipart (uploads) is parsed by the view: there the fields refuse it themselves.
    response = client.post("/nous-contacter/", {"name": "Pa\x00ul"})
    assert response.status_code == 200 and "caractère nul" in response.text


@pytest.mark.parametrize(
    "day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01", "2026-02-30"]
)
def test_a_date_outside_1900_2100_in_a_url_is_a_404(client, parent, day):
    user, household, child = parent
    client.force_login(user)
    assert client.get(f"/agenda/enfant/{child.pk}/{day}/").status_code == 404
    assert client.get(f"/agenda/enfant/{child.pk}/2026-03-02/").status_code == 200


def test_ids_read_from_input_are_bounded():
    assert parse_id("42") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    for bad in ["0", "-1", str(MAX_ID + 1), "9" * 5000, "١٢", "1e3", "", None]:
        assert parse_id(bad) is None


def test_a_10000_character_login_is_refused_before_the_lockout_table(client):
    response = client.post(reverse("account_login"), {"login": "a" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur comporte au plus 254 caractères" in response.text
    assert all(len(a.username or "") <= 255 for a in AccessAttempt.objects.all())
