"""Every pair of statuses, every actor: a change the rules forbid cannot happen through any
path, and an allowed one happens and is recorded."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portail.procedures import rules, services
from portail.procedures.models import Role, ServiceRequest, Status, StatusChange
from tests.factories import AgentFactory, make_parent

STATUSES = list(Status.values)
ROLES = list(Role.values)

# The FAQ's promises, written independently of the table they check.
EXPECTED = {
    (Status.DRAFT, Status.PENDING, Role.PARENT),
    (Status.PENDING, Status.PENDING, Role.PARENT),
    (Status.PENDING, Status.CANCELLED, Role.PARENT),
    (Status.PENDING, Status.PROCESSING, Role.AGENT),
    (Status.PENDING, Status.REJECTED, Role.AGENT),
    (Status.PENDING, Status.DRAFT, Role.AGENT),
    (Status.PROCESSING, Status.DRAFT, Role.AGENT),
    (Status.PROCESSING, Status.CLOSED, Role.AGENT),
    (Status.PROCESSING, Status.REJECTED, Role.AGENT),
    (Status.PROCESSING, Status.REJECTED, Role.SYSTEM),
}


def test_rule_table_is_exactly_the_expected_one():
    allowed = {
        (a, b, r)
        for a, b, r in itertools.product(STATUSES, STATUSES, ROLES)
        if rules.is_allowed(a, b, r)
    }
    assert allowed == EXPECTED


def test_final_statuses_never_move():
    for final in (Status.CLOSED, Status.REJECTED, Status.CANCELLED):
        for target, role in itertools.product(STATUSES, ROLES):
            assert not rules.is_allowed(final, target, role)


def test_parent_can_never_touch_a_processed_request():
    for status in (Status.PROCESSING, Status.CLOSED, Status.REJECTED, Status.CANCELLED):
        for target in STATUSES:
            assert not rules.is_allowed(status, target, Role.PARENT)


def _attempt(sr, target, role, actor):
    """Every path the code offers to reach `target`."""
    if role == Role.PARENT:
        if target == Status.PENDING:
            return services.submit(sr, actor)
        if target == Status.CANCELLED:
            return services.cancel(sr, actor)
    if target == Status.PROCESSING:
        return services._change(services._lock(sr), target, actor, role, "x")
    if target == Status.CLOSED and role == Role.AGENT:
        return services.close(sr, actor, "Fait.")
    if target == Status.REJECTED:
        return services.reject(sr, actor, "Motif.", role)
    if target == Status.DRAFT and role == Role.AGENT:
        return services.send_back(sr, actor, "À corriger.")
    return services._change(services._lock(sr), target, actor, role, "x")


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.sampled_from(STATUSES),
    target=st.sampled_from(STATUSES),
    role=st.sampled_from(ROLES),
)
def test_every_pair_and_actor_obeys_the_rules(start, target, role):
    check_change(start, target, role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "target", "role"), list(itertools.product(STATUSES, STATUSES, ROLES))
)
def test_exhaustively_every_pair_and_actor(start, target, role):
    check_change(start, target, role)


def check_change(start, target, role):
    user, household, child = make_parent()
    agent = AgentFactory()
    actor = {Role.PARENT: user, Role.AGENT: agent, Role.SYSTEM: None}[role]
    # A change to the child's (empty) list: an unchanged list is refused on submission.
    person = {
        "first_name": "Jean",
        "last_name": "Martin",
        "relationship": "oncle",
        "phone": "06 12 34 56 78",
    }
    data = {"child": child.pk, "persons": [person]}
    sr = ServiceRequest.objects.create(
        kind="personnes-autorisees",
        household=household,
        status=start,
        reference=f"T-{ServiceRequest.objects.count() + 1}",
        data=data,
        draft_data={**data, "edited": True},  # a modification to submit
    )
    before = StatusChange.objects.count()
    if rules.is_allowed(start, target, role):
        _attempt(sr, target, role, actor)
        sr.refresh_from_db()
        assert sr.status == target
        change = StatusChange.objects.latest("pk")
        assert (change.from_status, change.to_status, change.role) == (start, target, role)
        assert StatusChange.objects.count() == before + 1
    else:
        with pytest.raises(services.TransitionNotAllowed):
            _attempt(sr, target, role, actor)
        sr.refresh_from_db()
        assert sr.status == start
        assert StatusChange.objects.count() == before
