import pytest
from django.core.management import call_command

from portail.accounts.models import User
from portail.accounts.seed import PASSWORD
from portail.agenda.models import Booking
from portail.families.models import Child, Household


@pytest.mark.django_db
def test_seed_town_builds_families_with_children_and_bookings(client):
    call_command("seed_town", families=30, stdout=None)
    assert Household.objects.count() == 30
    sizes = [h.children.count() for h in Household.objects.all()]
    assert min(sizes) >= 1 and max(sizes) <= 4
    assert Child.objects.values("school").distinct().count() >= 1
    assert Booking.objects.count() > 30 * 50  # a school year of habits
    # Every booking is on an open day of its activity's school.
    assert not Booking.objects.filter(date__week_day__in=[1, 7]).exists()
    # Synthetic parents can log in.
    user = User.objects.get(username="seed00000")
    assert user.check_password(PASSWORD)
    call_command("seed_town", families=5, stdout=None)  # adds, does not collide
    assert Household.objects.count() == 35
