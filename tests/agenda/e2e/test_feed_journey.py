"""The calendar feed page in a browser: create (shown once), renew, switch off; axe each time."""

import pytest
from playwright.sync_api import expect

from portail.agenda.models import CalendarFeed
from tests.conftest import assert_accessible, login
from tests.factories import make_parent


@pytest.mark.django_db(transaction=True)
def test_create_then_switch_off_the_calendar_address(page):
    user, household, _child = make_parent()
    login(page, user.username)
    page.goto("/agenda/calendrier/")
    assert_accessible(page)
    page.get_by_role("button", name="Créer mon adresse").click()
    address = page.get_by_label("Adresse privée (iCalendar)").input_value()
    assert (
        "/agenda/ical/" in address
        and page.get_by_text("n'est affichée que cette fois").is_visible()
    )
    assert_accessible(page)
    assert page.request.get(address).status == 200
    # Coming back later: the address is not shown again.
    page.goto("/agenda/calendrier/")
    assert page.get_by_label("Adresse privée (iCalendar)").count() == 0
    page.get_by_role("button", name="Désactiver mon adresse").click()
    assert_accessible(page)  # the confirmation page, without JavaScript
    page.get_by_role("button", name="Oui, désactiver").click()
    expect(page.get_by_text("elle ne fonctionne plus")).to_be_visible()
    assert_accessible(page)
    assert not CalendarFeed.objects.filter(household=household).exists()
    assert page.request.get(address).status == 404
