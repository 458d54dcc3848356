"""A small town for the API: one school with its activities, a family with bookings and
ledger entries, and partner applications with the scopes a test asks for."""

import datetime

import pytest
from django.test import Client

from portail.api.models import Scope
from portail.api.services import create_application
from portail.billing.services import post_entry
from tests.agenda.factories import book, make_activities
from tests.factories import make_parent

DAY = datetime.date(2026, 11, 16)  # a Monday
ALL_SCOPES = [scope.value for scope in Scope]


@pytest.fixture
def town(db):
    user, household, child = make_parent()
    activities = make_activities(child.school, capacity=40)
    lunch = activities["lunch"]
    book(child, lunch, DAY)
    book(child, activities["morning"], DAY)
    post_entry(household, "30.00", "Paiement en mairie", "cash", date=DAY)
    post_entry(household, "-4.10", "Restauration scolaire", "consumption", date=DAY)
    return {"user": user, "household": household, "child": child, "activities": activities}


def make_application(scopes=ALL_SCOPES, name=None, **kwargs):
    make_application.counter += 1
    return create_application(
        name=name or f"Logiciel {make_application.counter}", scopes=scopes, **kwargs
    )


make_application.counter = 0


class ApiClient(Client):
    """A test client that sends the partner's bearer token."""

    def __init__(self, token=None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def generic(self, method, path, *args, **kwargs):
        if self.token is not None:
            kwargs["headers"] = {
                **(kwargs.get("headers") or {}),
                "Authorization": f"Bearer {self.token}",
            }
        return super().generic(method, path, *args, **kwargs)


@pytest.fixture
def partner(db):
    """An application with every scope, and a client carrying its token."""
    application, token = make_application()
    return application, ApiClient(token)
