import datetime

import pytest
import time_machine
from django.core.management import call_command

from portail.core.models import AuditEvent
from portail.documents import selectors, services
from portail.documents.models import Concerns, State, SupportingDocument
from portail.messaging.models import Message, OutboundEmail
from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import AgentFactory, ChildFactory

PARIS_NOON = "2026-09-10 12:00 +02:00"


def states(household, slug=None):
    return {
        (r.document_type.name, r.concerns_label): r.state
        for r in selectors.requirements_for(household, slug)
    }


@pytest.mark.django_db
@time_machine.travel(PARIS_NOON, tick=False)
def test_requirement_states_through_a_documents_life(parent):
    user, household, child = parent
    agent = AgentFactory()
    address = DocumentTypeFactory(name="Domicile", validity_months=3)
    vaccines = DocumentTypeFactory(name="Vaccins", concerns=Concerns.CHILD, procedures="")
    other = ChildFactory(household=household, first_name="Hugo")
    assert states(household) == {
        ("Domicile", "Foyer"): State.MISSING,
        ("Vaccins", child.first_name): State.MISSING,
        ("Vaccins", "Hugo"): State.MISSING,
    }
    # only what the enrolment needs
    assert set(states(household, "inscription-scolaire")) == {("Domicile", "Foyer")}
    claim = services.request_document(
        household=household, document_type=vaccines, agent=agent, message="Page 3 SVP", child=other
    )
    assert states(household)[("Vaccins", "Hugo")] == State.REQUESTED
    document = upload(household, address, user)
    assert states(household)[("Domicile", "Foyer")] == State.PENDING
    services.validate_document(
        document=document, agent=agent, valid_until=datetime.date(2026, 12, 9)
    )
    req = next(r for r in selectors.requirements_for(household) if r.document_type == address)
    assert req.state == State.VALID and req.is_satisfied and req.valid_document == document
    assert not req.needs_upload
    second = upload(household, vaccines, user, ext="png", child=other)
    claim.refresh_from_db()
    assert claim.closed_at is not None and claim.answer == second
    services.invalidate_document(document=second, agent=agent, reason="Illisible")
    assert states(household)[("Vaccins", "Hugo")] == State.INVALID
    # the same documents seen after their end of validity, before the daily job
    with time_machine.travel("2026-12-10 09:00 +01:00", tick=False):
        assert states(household)[("Domicile", "Foyer")] == State.EXPIRED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"documents.request", "documents.validate", "documents.invalidate"} <= actions


@pytest.mark.django_db
@time_machine.travel(PARIS_NOON, tick=False)
def test_default_validity_from_the_type():
    three_months = DocumentTypeFactory(validity_months=3)
    yearly = DocumentTypeFactory(validity_months=None, each_school_year=True)
    assert three_months.default_valid_until(datetime.date(2026, 11, 30)) == datetime.date(
        2027, 2, 27
    )
    assert yearly.default_valid_until(datetime.date(2026, 9, 3)) == datetime.date(2027, 7, 31)
    assert yearly.default_valid_until(datetime.date(2027, 6, 20)) == datetime.date(2027, 7, 31)
    assert (
        DocumentTypeFactory(validity_months=None).default_valid_until(datetime.date(2026, 9, 3))
        is None
    )


@pytest.mark.django_db
@time_machine.travel(PARIS_NOON, tick=False)
def test_each_agent_action_notifies_the_family_once(parent):
    user, household, child = parent
    agent = AgentFactory()
    kind = DocumentTypeFactory(name="Domicile")
    document = upload(household, kind, user)
    services.validate_document(document=document, agent=agent, valid_until=None)
    with pytest.raises(Exception, match="déjà été traité"):
        services.validate_document(document=document, agent=agent, valid_until=None)
    refused = upload(household, kind, user)
    services.invalidate_document(document=refused, agent=agent, reason="Pas à votre nom")
    services.request_document(household=household, document_type=kind, agent=agent, message="X")
    subjects = list(Message.objects.filter(recipient=user).values_list("subject", flat=True))
    assert sorted(subjects) == sorted(
        ["Justificatif accepté", "Justificatif refusé", "Un justificatif vous est réclamé"]
    )
    assert OutboundEmail.objects.filter(to=user.email).count() == 3
    body = Message.objects.get(subject="Justificatif refusé").body
    assert "Pas à votre nom" in body


@pytest.mark.django_db
def test_daily_job_expires_and_warns_idempotently(parent):
    user, household, child = parent
    agent = AgentFactory()
    kind = DocumentTypeFactory(name="Domicile")
    with time_machine.travel("2026-09-01 10:00 +02:00", tick=False):
        soon = upload(household, kind, user)
        services.validate_document(
            document=soon, agent=agent, valid_until=datetime.date(2026, 9, 20)
        )
    call_command("documents_daily", "--date", "2026-09-10")
    call_command("documents_daily", "--date", "2026-09-10")
    warnings = Message.objects.filter(recipient=user, subject="Justificatif bientôt périmé")
    assert warnings.count() == 1 and "20/09/2026" in warnings.get().body
    call_command("documents_daily", "--date", "2026-09-20")
    soon.refresh_from_db()
    assert soon.status == SupportingDocument.Status.VALID  # valid through its last day
    for _ in range(2):
        call_command("documents_daily", "--date", "2026-09-21")
    soon.refresh_from_db()
    assert soon.status == SupportingDocument.Status.EXPIRED
    assert Message.objects.filter(recipient=user, subject="Justificatif périmé").count() == 1
    assert AuditEvent.objects.filter(action="documents.expire").count() == 1
    with time_machine.travel("2026-09-21 10:00 +02:00", tick=False):
        req = selectors.requirements_for(household)[0]
        assert req.state == State.EXPIRED and req.needs_upload


@pytest.mark.django_db
@time_machine.travel(PARIS_NOON, tick=False)
def test_a_document_concerning_another_household_is_refused(parent):
    user, household, child = parent
    stranger = ChildFactory()
    kind = DocumentTypeFactory(concerns=Concerns.CHILD)
    with pytest.raises(ValueError):
        upload(household, kind, user, child=stranger)
    with pytest.raises(ValueError):
        upload(household, kind, user)  # a child document needs its child
    assert SupportingDocument.objects.count() == 0


@pytest.mark.django_db
@time_machine.travel(PARIS_NOON, tick=False)
def test_a_procedure_form_asks_only_what_is_not_valid_and_stores_it(parent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portail.documents.forms import RequirementUploadsForm
    from tests.conftest import UPLOADS

    user, household, child = parent
    agent = AgentFactory()
    address = DocumentTypeFactory(name="Domicile")
    insurance = DocumentTypeFactory(name="Assurance", concerns=Concerns.CHILD)
    DocumentTypeFactory(name="Hors démarche", procedures="")
    valid = upload(household, address, user)
    services.validate_document(document=valid, agent=agent, valid_until=None)
    requirements = selectors.requirements_for(household, "inscription-scolaire", child=child)
    # the valid proof of address is reused: linked, not asked again
    reused = next(r for r in requirements if r.document_type == address)
    assert reused.is_satisfied and reused.valid_document == valid
    assert [r.document_type for r in selectors.outstanding(household, "inscription-scolaire")] == [
        insurance
    ]
    name = f"document_{insurance.pk}_child_{child.pk}"
    bad = RequirementUploadsForm(
        {}, {name: SimpleUploadedFile("a.txt", b"x")}, requirements=requirements
    )
    assert list(bad.fields) == [name]
    assert not bad.is_valid() and "Ce format n'est pas accepté" in bad.errors[name][0]
    data = (UPLOADS / "attestation-domicile.png").read_bytes()
    form = RequirementUploadsForm(
        {}, {name: SimpleUploadedFile("assurance.png", data)}, requirements=requirements
    )
    assert form.is_valid()
    [document] = form.save(user=user)
    assert document.child == child and document.status == "pending"


@pytest.mark.django_db
def test_warned_30_days_ahead_once_then_the_procedure_asks_for_a_new_one(parent):
    """Issue 15, item 5: « périmé » after the last valid day, a warning in-app and by mail 30
    days before (once), and the procedure that needs the document asks for it again."""
    user, household, child = parent
    kind = DocumentTypeFactory(name="Domicile", procedures="inscription-scolaire")
    with time_machine.travel("2026-09-01 10:00 +02:00", tick=False):
        document = upload(household, kind, user)
        services.validate_document(
            document=document, agent=AgentFactory(), valid_until=datetime.date(2026, 11, 30)
        )
    call_command("documents_daily", "--date", "2026-10-30")  # 31 days before: not yet
    assert not Message.objects.filter(subject="Justificatif bientôt périmé").exists()
    for _ in range(2):
        call_command("documents_daily", "--date", "2026-10-31")  # 30 days before
    warning = Message.objects.get(recipient=user, subject="Justificatif bientôt périmé")
    assert "30/11/2026" in warning.body
    assert OutboundEmail.objects.filter(to=user.email, subject=warning.subject).count() == 1
    with time_machine.travel("2026-11-30 10:00 +01:00", tick=False):
        assert selectors.outstanding(household, "inscription-scolaire") == []
    call_command("documents_daily", "--date", "2026-12-01")
    document.refresh_from_db()
    assert document.status == SupportingDocument.Status.EXPIRED
    assert document.get_status_display() == "périmé"
    with time_machine.travel("2026-12-01 10:00 +01:00", tick=False):
        (needed,) = selectors.outstanding(household, "inscription-scolaire")
    assert needed.state == State.EXPIRED and needed.document_type == kind
