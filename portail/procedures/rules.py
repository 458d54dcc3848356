"""The status rules: which change each kind of actor may make. Services check every change
against this table; nothing else changes a status."""

from portail.procedures.models import Role, Status

S, R = Status, Role

ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.PENDING): frozenset({R.PARENT}),  # « ENREGISTRER LA DEMANDE »
    (S.PENDING, S.PENDING): frozenset({R.PARENT}),  # modified while still waiting
    (S.PENDING, S.CANCELLED): frozenset({R.PARENT}),
    (S.PENDING, S.PROCESSING): frozenset({R.AGENT}),
    (S.PENDING, S.REJECTED): frozenset({R.AGENT}),
    (S.PENDING, S.DRAFT): frozenset({R.AGENT}),  # sent back for a correction
    (S.PROCESSING, S.DRAFT): frozenset({R.AGENT}),
    (S.PROCESSING, S.CLOSED): frozenset({R.AGENT}),
    # An agent, or the system when the effect could not be applied (FAQ: « problème technique »).
    (S.PROCESSING, S.REJECTED): frozenset({R.AGENT, R.SYSTEM}),
}

# Changes that need a message for the family.
NEEDS_COMMENT = {
    (S.PENDING, S.REJECTED),
    (S.PROCESSING, S.REJECTED),
    (S.PENDING, S.DRAFT),
    (S.PROCESSING, S.DRAFT),
}


def is_allowed(from_status: str, to_status: str, role: str) -> bool:
    return role in ALLOWED.get((from_status, to_status), frozenset())
