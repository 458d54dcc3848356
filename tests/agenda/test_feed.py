"""The private calendar feed: shown once, stored hashed, renewed or switched off, revoked with the
account, and a calendar that any client reads the same way (VTIMEZONE, UIDs unique per site)."""

import datetime
import hashlib
import html
import re

import icalendar
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from portail.accounts import services as account_services
from portail.agenda.models import Activity, CalendarFeed
from tests.agenda.factories import book
from tests.factories import AgentFactory, make_parent

MONDAY = datetime.date(2026, 11, 30)
SETTINGS = reverse("agenda:feed_settings")


def create_address(client, action="renew"):
    """Press « Créer mon adresse » (or renew): the answer shows the address, once."""
    data = {"action": action, "confirmed": "1"}  # a renewal asks first
    page = html.unescape(client.post(SETTINGS, data).content.decode())
    url = re.search(r'id="feed-url" value="([^"]+)"', page).group(1)
    return url, re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def signed_in(client, family):
    client.force_login(family[0])
    return family


@pytest.mark.django_db
def test_the_address_is_shown_once_and_only_its_hash_is_stored(client, frozen, signed_in):
    _user, household, child, activities = signed_in
    book(child, activities[Activity.Kind.LUNCH], MONDAY)
    url, path = create_address(client)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(household=household)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(CalendarFeed.objects.values().get())
    later = client.get(SETTINGS).content.decode()
    assert token not in later and "n'est plus affichée" in html.unescape(later)
    client.logout()
    ics = client.get(path)
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert "Restauration scolaire" in ics.content.decode()


@pytest.mark.django_db
def test_renewing_revokes_the_old_address(client, frozen, signed_in):
    _url, first = create_address(client)
    _url, second = create_address(client)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


@pytest.mark.django_db
def test_the_parent_can_switch_the_feed_off(client, frozen, signed_in):
    _url, path = create_address(client)
    ask = html.unescape(client.post(SETTINGS, {"action": "disable"}).content.decode())
    assert "ne recevra plus vos réservations" in ask and 'value="disable"' in ask
    assert client.get(path).status_code == 200  # not before « Oui »
    response = client.post(SETTINGS, {"action": "disable", "confirmed": "1"}, follow=True)
    page = html.unescape(response.content.decode())
    assert "ne fonctionne plus" in page and "Créer mon adresse" in page
    assert not CalendarFeed.objects.exists()
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_closing_the_account_revokes_the_feed(client, frozen, signed_in):
    user, *_ = signed_in
    _url, path = create_address(client)
    assert client.get(path).status_code == 200
    closure = account_services.request_closure(user)
    account_services.confirm_closure(AgentFactory(), closure)
    assert not CalendarFeed.objects.exists()
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_the_feed_stops_when_no_account_of_the_household_is_active(client, frozen, signed_in):
    user, *_ = signed_in
    _url, path = create_address(client)
    assert client.get(path).status_code == 200
    user.is_active = False  # e.g. disabled by the administrator
    user.save()
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_the_calendar_defines_its_timezone_and_uids_name_the_site(
    client, frozen, signed_in, settings
):
    _user, _household, child, activities = signed_in
    booking = book(child, activities[Activity.Kind.LUNCH], MONDAY)
    _url, path = create_address(client)
    settings.SITE_URL = "https://famille.viry.fr"
    cal = icalendar.Calendar.from_ical(client.get(path).content)
    zones = cal.walk("VTIMEZONE")
    assert [z["TZID"] for z in zones] == ["Europe/Paris"]
    # November is winter time: +01:00 covers the event.
    assert any(s["TZOFFSETTO"].td == datetime.timedelta(hours=1) for s in zones[0].walk("STANDARD"))
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt.hour == 11 and event["DTSTART"].dt.minute == 30
    assert str(event["UID"]) == f"booking-{booking.pk}@famille.viry.fr"
    # Another town's portal numbers its bookings alike: its UIDs differ.
    settings.SITE_URL = "https://famille.autre-ville.fr"
    other = icalendar.Calendar.from_ical(client.get(path).content)
    assert str(other.walk("VEVENT")[0]["UID"]) == f"booking-{booking.pk}@famille.autre-ville.fr"


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_tokens():
    executor = MigrationExecutor(connection)
    before, after = ("agenda", "0002_calendar_feed"), ("agenda", "0003_calendar_feed_token_hash")
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    _user, household, _child = make_parent()
    old_apps.get_model("agenda", "CalendarFeed").objects.create(
        household_id=household.pk, token="an-address-given-before-the-change"
    )
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    feed = CalendarFeed.objects.get(household=household)
    expected = hashlib.sha256(b"an-address-given-before-the-change").hexdigest()
    assert feed.token_hash == expected


@pytest.mark.django_db
def test_an_address_given_before_the_migration_still_works(client, frozen, family):
    _user, household, _child, _activities = family
    CalendarFeed.objects.create(
        household=household, token_hash=hashlib.sha256(b"old-plain-token").hexdigest()
    )
    assert client.get(reverse("agenda:feed", args=["old-plain-token"])).status_code == 200
