"""Races on PostgreSQL: concurrent submissions get distinct gap-free references; an agent taking a
request and the parent cancelling it cannot both succeed."""

import pytest

from portail.procedures import services
from portail.procedures.kinds import get_procedure
from portail.procedures.models import ServiceRequest, Status, StatusChange
from tests.conftest import race
from tests.factories import AgentFactory, make_parent

pytestmark = pytest.mark.postgres


# A change to the child's (empty) list: an unchanged list is refused on submission.
PERSON = {"first_name": "Jean", "last_name": "Martin", "relationship": "oncle"}
CHANGE = {"persons": [{**PERSON, "phone": "06 12 34 56 78"}]}


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_references():
    procedure = get_procedure("personnes-autorisees")
    drafts = []
    for _ in range(6):
        user, household, child = make_parent()
        draft = services.start_draft(procedure, household, user, {"child": child.pk, **CHANGE})
        drafts.append((draft, user))
    race(*[lambda d=d, u=u: services.submit(d, u) for d, u in drafts])
    refs = sorted(ServiceRequest.objects.values_list("reference", flat=True))
    assert refs == [f"D-{refs[0][2:6]}-{n:06d}" for n in range(1, 7)]


@pytest.mark.django_db(transaction=True)
def test_take_and_cancel_race_one_wins():
    procedure = get_procedure("personnes-autorisees")
    user, household, child = make_parent()
    agent = AgentFactory()
    sr = services.submit(
        services.start_draft(procedure, household, user, {"child": child.pk, **CHANGE}), user
    )
    results = race(lambda: services.take(sr, agent), lambda: services.cancel(sr, user))
    failures = [r for r in results if isinstance(r, services.TransitionNotAllowed)]
    assert len(failures) == 1
    sr.refresh_from_db()
    assert sr.status in (Status.PROCESSING, Status.CANCELLED)
    assert StatusChange.objects.filter(request=sr).count() == 3  # draft, pending, one winner
