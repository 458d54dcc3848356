"""Races on PostgreSQL: concurrent submissions get distinct gap-free references; an agent taking a
request and the parent cancelling it cannot both succeed."""

import threading

import pytest
from django.db import connection

from portail.procedures import services
from portail.procedures.kinds import get_procedure
from portail.procedures.models import ServiceRequest, Status, StatusChange
from tests.factories import AgentFactory, make_parent

pytestmark = pytest.mark.postgres


def _run_together(*functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(i, fn):
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # the loser's refusal
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


# A change to the child's (empty) list: an unchanged list is refused on submission.
PERSON = {"first_name": "Jean", "last_name": "Martin", "relationship": "oncle"}
CHANGE = {"persons": [{**PERSON, "phone": "06 12 34 56 78"}]}


@pytest.fixture
def _pg():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_references(_pg):
    procedure = get_procedure("personnes-autorisees")
    drafts = []
    for _ in range(6):
        user, household, child = make_parent()
        draft = services.start_draft(procedure, household, user, {"child": child.pk, **CHANGE})
        drafts.append((draft, user))
    _run_together(*[lambda d=d, u=u: services.submit(d, u) for d, u in drafts])
    refs = sorted(ServiceRequest.objects.values_list("reference", flat=True))
    assert refs == [f"D-{refs[0][2:6]}-{n:06d}" for n in range(1, 7)]


@pytest.mark.django_db(transaction=True)
def test_take_and_cancel_race_one_wins(_pg):
    procedure = get_procedure("personnes-autorisees")
    user, household, child = make_parent()
    agent = AgentFactory()
    sr = services.submit(
        services.start_draft(procedure, household, user, {"child": child.pk, **CHANGE}), user
    )
    results = _run_together(lambda: services.take(sr, agent), lambda: services.cancel(sr, user))
    failures = [r for r in results if isinstance(r, services.TransitionNotAllowed)]
    assert len(failures) == 1
    sr.refresh_from_db()
    assert sr.status in (Status.PROCESSING, Status.CANCELLED)
    assert StatusChange.objects.filter(request=sr).count() == 3  # draft, pending, one winner
