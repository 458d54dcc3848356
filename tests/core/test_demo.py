import datetime

import pytest
from django.core.management import call_command

from portail.accounts.models import User
from portail.agenda.models import Activity, ClosedDay
from portail.families.models import Child, Household, School


@pytest.mark.django_db
def test_demo_town_loads_and_is_idempotent():
    call_command("demo", stdout=None)
    counts = (
        User.objects.count(),
        Household.objects.count(),
        Child.objects.count(),
        ClosedDay.objects.count(),
    )
    call_command("demo", stdout=None)
    assert (
        User.objects.count(),
        Household.objects.count(),
        Child.objects.count(),
        ClosedDay.objects.count(),
    ) == counts
    assert School.objects.count() == 3
    assert Activity.objects.count() == 12
    for username in ("demo.parent", "demo.agent", "demo.regie", "demo.admin"):
        assert User.objects.filter(username=username).exists()
    assert User.objects.get(username="demo.parent").check_password("DemoParent1")
    assert User.objects.get(username="demo.agent").is_agent
    assert User.objects.get(username="demo.regie").is_cashier
    assert User.objects.get(username="demo.admin").is_superuser
    # A child under 6 for the tax certificate.
    assert any(c.age_on(datetime.date(2026, 1, 1)) < 6 for c in Child.objects.all())


@pytest.mark.django_db
def test_closures_hold_holidays_of_the_zone():
    from portail.agenda.services import sync_holiday_closures

    sync_holiday_closures(2026, "Zone A")
    days = dict(ClosedDay.objects.values_list("date", "reason"))
    assert days[datetime.date(2026, 11, 11)].startswith("Armistice")
    assert "Noël" in days[datetime.date(2026, 12, 23)]
    assert datetime.date(2026, 12, 26) not in days  # a Saturday is closed anyway, not stored
    assert sync_holiday_closures(2026, "Zone A") == 0


@pytest.mark.django_db
def test_the_demo_family_sees_a_document_perime(client):
    """Issue 15, item 5: the « périmé » state appears in the demo, where the parent looks."""
    call_command("demo", stdout=None)
    client.force_login(User.objects.get(username="demo.parent"))
    html = client.get("/justificatifs/").content.decode()
    assert "Carnet de vaccination" in html and "périmé" in html
