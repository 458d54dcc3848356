"""Reads of the supporting documents, scoped to a household."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from portail.core import clock
from portail.documents.models import (
    Concerns,
    DocumentClaim,
    DocumentType,
    State,
    SupportingDocument,
)
from portail.families.models import Adult, Child, Household

TO_PROVIDE = (State.REQUESTED, State.INVALID, State.EXPIRED, State.MISSING)


@dataclass
class Requirement:
    """One document type for whom it concerns (the household, an adult or a child) and its state."""

    document_type: DocumentType
    household: Household
    adult: Adult | None
    child: Child | None
    state: str
    document: SupportingDocument | None = None
    valid_document: SupportingDocument | None = None
    claim: DocumentClaim | None = None

    @property
    def concerns_label(self) -> str:
        if self.child is not None:
            return self.child.first_name
        if self.adult is not None:
            return str(self.adult)
        return _("Household")

    @property
    def concerns_key(self) -> str:
        if self.child is not None:
            return f"child-{self.child.pk}"
        if self.adult is not None:
            return f"adult-{self.adult.pk}"
        return "household"

    def get_state_display(self) -> str:
        return State(self.state).label

    @property
    def needs_upload(self) -> bool:
        return self.state in TO_PROVIDE

    @property
    def is_satisfied(self) -> bool:
        return self.state == State.VALID

    @property
    def valid_until(self) -> datetime.date | None:
        return self.valid_document.valid_until if self.valid_document else None

    def upload_url(self, next=None) -> str:
        url = reverse("documents:upload", args=[self.document_type.pk, self.concerns_key])
        return f"{url}?{urlencode({'next': next})}" if next else url


class UnknownConcerned(LookupError):
    """A concerns key naming no adult or child of the household (the views answer 404)."""


def concerns_from_key(household: Household, key: str) -> tuple[Adult | None, Child | None]:
    """The (adult, child) named by a `Requirement.concerns_key` (« household », « adult-<id> »,
    « child-<id> »), within the household; UnknownConcerned otherwise."""
    kind, _sep, pk = key.partition("-")
    if kind == "adult" and pk.isdigit():
        adult = household.adults.filter(pk=int(pk)).first()
        if adult is None:
            raise UnknownConcerned(key)
        return adult, None
    if kind == "child" and pk.isdigit():
        child = household.children.filter(pk=int(pk)).first()
        if child is None:
            raise UnknownConcerned(key)
        return None, child
    if key != "household":
        raise UnknownConcerned(key)
    return None, None


def document_state(document: SupportingDocument, today: datetime.date) -> str:
    if document.status == SupportingDocument.Status.VALID:
        if document.valid_until is not None and document.valid_until < today:
            return State.EXPIRED  # the daily job has not run yet today
        return State.VALID
    return {
        SupportingDocument.Status.PENDING: State.PENDING,
        SupportingDocument.Status.INVALID: State.INVALID,
        SupportingDocument.Status.EXPIRED: State.EXPIRED,
    }[document.status]


def concerned(document_type: DocumentType, adults, children) -> list:
    """(adult, child) pairs a document type asks for in this household."""
    if document_type.concerns == Concerns.ADULT:
        return [(adult, None) for adult in adults]
    if document_type.concerns == Concerns.CHILD:
        return [(None, c) for c in children]
    return [(None, None)]


def requirements_for(
    household: Household,
    procedure_slug: str | None = None,
    *,
    child: Child | None = None,
    adults=None,
    children=None,
) -> list[Requirement]:
    """Every requirement of the household, or those the procedure `procedure_slug` needs.

    `adults` and `children`: the household's, when the page has read them already."""
    today = clock.today()
    types = [t for t in DocumentType.objects.filter(active=True)]
    if procedure_slug:
        types = [t for t in types if procedure_slug in t.procedure_slugs]
    documents: dict[tuple, list[SupportingDocument]] = {}
    for doc in SupportingDocument.objects.filter(household=household).select_related(
        "document_type"
    ):
        documents.setdefault((doc.document_type_id, doc.adult_id, doc.child_id), []).append(doc)
    claims = {}
    for claim in DocumentClaim.objects.filter(household=household, closed_at=None):
        claims.setdefault((claim.document_type_id, claim.adult_id, claim.child_id), claim)
    adults = list(household.adults.all() if adults is None else adults)
    children = list(household.children.all() if children is None else children)
    if child is not None:
        children = [c for c in children if c.pk == child.pk]
    requirements = []
    for document_type in types:
        for adult, kid in concerned(document_type, adults, children):
            key = (document_type.pk, getattr(adult, "pk", None), getattr(kid, "pk", None))
            docs = documents.get(key, [])  # newest first
            claim = claims.get(key)
            latest = docs[0] if docs else None
            valid = next((d for d in docs if document_state(d, today) == State.VALID), None)
            if claim is not None:
                state = State.REQUESTED
            elif latest is None:
                state = State.MISSING
            else:
                state = document_state(latest, today)
            requirements.append(
                Requirement(
                    document_type=document_type,
                    household=household,
                    adult=adult,
                    child=kid,
                    state=state,
                    document=latest,
                    valid_document=valid if state == State.VALID else None,
                    claim=claim,
                )
            )
    return requirements


def requirement(household: Household, document_type: DocumentType, adult=None, child=None):
    for req in requirements_for(household, child=child):
        if (req.document_type.pk, req.adult, req.child) == (document_type.pk, adult, child):
            return req
    return None


def valid_document_for(household, document_type, adult=None, child=None):
    """The valid document that satisfies this requirement, or None (reuse across procedures)."""
    req = requirement(household, document_type, adult=adult, child=child)
    return req.valid_document if req else None


def pending_queue(
    status=SupportingDocument.Status.PENDING, document_type=None, since=None, until=None
):
    """Documents waiting for an agent (or of another `status`), oldest first."""
    qs = SupportingDocument.objects.select_related("household", "document_type", "adult", "child")
    if status:
        qs = qs.filter(status=status)
    if document_type:
        qs = qs.filter(document_type=document_type)
    qs = qs.filter(clock.on_days("uploaded_at", since, until))
    return qs.order_by("uploaded_at", "pk")


def history_of(household: Household):
    return SupportingDocument.objects.filter(household=household).select_related(
        "document_type", "adult", "child"
    )


def outstanding(household, procedure_slug=None, *, child=None) -> list[Requirement]:
    """The requirements still to provide (réclamé, invalide, périmé, non fourni)."""
    return [r for r in requirements_for(household, procedure_slug, child=child) if r.needs_upload]


def waiting_counts(new_since=None) -> dict:
    """Documents not processed yet, and those sent after `new_since` (one query)."""
    new = Q() if new_since is None else Q(uploaded_at__gt=new_since)
    return SupportingDocument.objects.filter(status=SupportingDocument.Status.PENDING).aggregate(
        pending=Count("pk"), new=Count("pk", filter=new)
    )
