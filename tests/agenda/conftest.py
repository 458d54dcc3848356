import datetime

import pytest
import time_machine

from tests.agenda.factories import make_activities
from tests.factories import AgentFactory, make_parent

# Thursday 26 November 2026, 10:00 in Paris: a school week, no holiday around.
NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def family(db):
    """A parent (account in credit) whose child attends a school with the four activities:
    (user, household, child, activities by kind)."""
    user, household, child = make_parent(credit_amount="100.00")
    activities = make_activities(child.school)
    return user, household, child, activities


@pytest.fixture
def agent(db):
    return AgentFactory()
