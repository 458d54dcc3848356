import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from portail.agenda.models import Attendance, Booking
from portail.messaging.models import Message, OutboundEmail
from portail.procedures import services
from portail.procedures.kinds import get_procedure
from portail.procedures.models import ServiceRequest, Status
from tests.factories import AgentFactory, PickupFactory, SchoolFactory, make_parent

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC), tick=False)


def absence_request(parent, activities, illness, day=TODAY):
    user, household, child = parent
    for activity in activities[:2]:  # an absence is declared on a booked day
        Booking.objects.get_or_create(child=child, activity=activity, date=day)
    data = {
        "terms": True,
        "child": child.pk,
        "reason": illness.pk,
        "date": day.isoformat(),
        "activities": [activities[0].pk, activities[1].pk],
    }
    sr = services.start_draft(get_procedure("absence"), household, user, data, step=2)
    return services.submit(sr, user)


@pytest.mark.django_db
def test_submission_numbers_requests_and_tells_the_family(parent, activities, illness):
    sr = absence_request(parent, activities, illness)
    second = absence_request(parent, activities, illness)
    assert sr.status == Status.PENDING
    assert sr.reference == "D-2026-000001"
    assert second.reference == "D-2026-000002"
    message = Message.objects.filter(recipient=parent[0]).first()
    assert "D-2026-000002" in message.subject and "en attente" in message.subject
    assert "a bien été enregistrée" in message.body
    assert OutboundEmail.objects.filter(to=parent[0].email).count() == 2


@pytest.mark.django_db
def test_closing_an_absence_cancels_bookings_and_records_the_reason(parent, activities, illness):
    user, household, child = parent
    for activity in activities:
        Booking.objects.create(child=child, activity=activity, date=TODAY)
    sr = absence_request(parent, activities, illness)
    agent = AgentFactory()
    services.take(sr, agent)
    services.close(sr, agent, "Bon rétablissement.")
    sr.refresh_from_db()
    assert sr.status == Status.CLOSED
    statuses = dict(
        Booking.objects.filter(child=child, date=TODAY).values_list("activity__kind", "status")
    )
    assert statuses == {
        "morning": "cancelled",
        "lunch": "cancelled",
        "evening1": "booked",
        "evening2": "booked",
    }
    attendance = Attendance.objects.get(child=child, activity=activities[0], date=TODAY)
    assert attendance.state == Attendance.State.EXCUSED and attendance.absence_reason == illness
    assert [h.to_status for h in sr.history.all()] == ["draft", "pending", "processing", "closed"]
    assert sr.history.last().actor == agent
    mail = OutboundEmail.objects.filter(to=user.email).first()
    assert "clos" in mail.subject and "Bon rétablissement." in mail.body


@pytest.mark.django_db
def test_past_date_is_refused_at_submission(parent, activities, illness):
    user, household, child = parent
    data = {
        "terms": True,
        "child": child.pk,
        "reason": illness.pk,
        "date": "2026-11-25",
        "activities": [activities[0].pk],
    }
    sr = services.start_draft(get_procedure("absence"), household, user, data, step=2)
    with pytest.raises(ValidationError):
        services.submit(sr, user)
    sr.refresh_from_db()
    assert sr.status == Status.DRAFT and sr.reference is None


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_parent_cannot_modify_after(parent, activities, illness):
    sr = absence_request(parent, activities, illness)
    agent = AgentFactory()
    with pytest.raises(ValidationError):
        services.reject(sr, agent, "  ")
    services.reject(sr, agent, "Date hors période scolaire.")
    sr.refresh_from_db()
    assert sr.status == Status.REJECTED and sr.agent_message == "Date hors période scolaire."
    with pytest.raises(services.TransitionNotAllowed):
        services.submit(sr, parent[0])
    with pytest.raises(services.TransitionNotAllowed):
        services.save_step(sr, parent[0], {"date": "2026-12-01"}, 1)


@pytest.mark.django_db
def test_send_back_returns_a_modifiable_draft_with_the_message(parent, activities, illness):
    sr = absence_request(parent, activities, illness)
    agent = AgentFactory()
    services.take(sr, agent)
    services.send_back(sr, agent, "Précisez les créneaux.")
    sr.refresh_from_db()
    assert sr.status == Status.DRAFT and sr.is_modifiable
    assert sr.reference == "D-2026-000001"  # keeps its number
    resubmitted = services.submit(sr, parent[0])
    assert resubmitted.status == Status.PENDING and resubmitted.reference == "D-2026-000001"


@pytest.mark.django_db
def test_pickups_closed_replace_the_list(parent):
    user, household, child = parent
    PickupFactory(child=child, first_name="Jeanne", last_name="Durand")
    procedure = get_procedure("personnes-autorisees")
    data = procedure.on_step_saved(0, {"child": child.pk}, {}, household)
    assert [p["first_name"] for p in data["persons"]] == ["Jeanne"]
    data["persons"] = [
        {"first_name": "Paul", "last_name": "Morel", "relationship": "Oncle", "phone": "0611"}
    ]
    sr = services.start_draft(procedure, household, user, data, step=2)
    services.submit(sr, user)
    agent = AgentFactory()
    services.take(sr, agent)
    services.close(sr, agent)
    assert [str(p) for p in child.authorized_pickups.all()] == ["Paul Morel"]


@pytest.mark.django_db
def test_enrolment_creates_a_new_child(parent):
    user, household, _child = parent
    school = SchoolFactory(name="École de Veigy")
    data = {
        "child": "new",
        "first_name": "Nina",
        "last_name": "Martin",
        "birth_date": "2023-02-01",
        "school": school.pk,
        "level": "PS",
    }
    sr = services.start_draft(get_procedure("inscription-scolaire"), household, user, data)
    services.submit(sr, user)
    agent = AgentFactory()
    services.take(sr, agent)
    services.close(sr, agent)
    nina = household.children.get(first_name="Nina")
    assert nina.school == school and nina.level == "PS"


@pytest.mark.django_db
def test_enrolment_of_an_existing_child_sets_school_and_level(parent):
    user, household, child = parent
    school = SchoolFactory(name="École de Malagny")
    data = {"child": str(child.pk), "school": school.pk, "level": "CM1"}
    sr = services.start_draft(get_procedure("inscription-scolaire"), household, user, data)
    services.submit(sr, user)
    agent = AgentFactory()
    services.take(sr, agent)
    services.close(sr, agent)
    child.refresh_from_db()
    assert (child.school, child.level) == (school, "CM1")
    assert household.children.count() == 1


@pytest.mark.django_db
def test_information_request_without_account_is_answered_by_email():
    procedure = get_procedure("renseignement")
    data = {"name": "Paul", "email": "paul@example.test", "subject": "Cantine", "message": "?"}
    sr = services.file_public_request(procedure, data, "Paul", "paul@example.test")
    assert sr.status == Status.PENDING and sr.reference
    agent = AgentFactory()
    services.take(sr, agent)
    with pytest.raises(ValidationError):
        services.close(sr, agent, "")
    services.close(sr, agent, "Le menu est en ligne.")
    mails = OutboundEmail.objects.filter(to="paul@example.test")
    assert mails.count() == 3
    assert "Le menu est en ligne." in mails.first().body


@pytest.mark.django_db
def test_drafts_are_bounded_in_number(parent, settings):
    settings.PROCEDURES_MAX_DRAFTS = 2
    user, household, child = parent
    procedure = get_procedure("personnes-autorisees")
    services.start_draft(procedure, household, user, {"child": child.pk})
    services.start_draft(procedure, household, user, {"child": child.pk})
    with pytest.raises(services.TooManyDrafts):
        services.start_draft(procedure, household, user, {"child": child.pk})


@pytest.mark.django_db
def test_purge_deletes_old_drafts_only(parent, activities, illness, time_machine):
    user, household, child = parent
    procedure = get_procedure("personnes-autorisees")
    old = services.start_draft(procedure, household, user, {"child": child.pk})
    submitted = absence_request(parent, activities, illness)
    time_machine.move_to(datetime.datetime(2027, 2, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
    recent = services.start_draft(procedure, household, user, {"child": child.pk})
    call_command("purge_drafts", "--date", "2027-03-05")  # 99 days after the old draft
    assert ServiceRequest.objects.filter(pk=old.pk).exists()
    call_command("purge_drafts", "--date", "2027-03-06")  # 100 days
    call_command("purge_drafts", "--date", "2027-03-06")  # idempotent
    assert not ServiceRequest.objects.filter(pk=old.pk).exists()
    assert ServiceRequest.objects.filter(pk__in=[submitted.pk, recent.pk]).count() == 2


@pytest.mark.django_db
def test_a_failing_close_leaves_nothing_half_done(parent):
    user, household, child = parent
    procedure = get_procedure("personnes-autorisees")
    person = {
        "first_name": "Jean",
        "last_name": "Martin",
        "relationship": "oncle",
        "phone": "0612345678",
    }
    sr = services.start_draft(procedure, household, user, {"child": child.pk, "persons": [person]})
    services.submit(sr, user)
    agent = AgentFactory()
    services.take(sr, agent)
    child.delete()
    with pytest.raises(ValidationError):
        services.close(sr, agent)
    sr.refresh_from_db()
    assert sr.status == Status.PROCESSING
    assert not sr.history.filter(to_status=Status.CLOSED).exists()


@pytest.mark.django_db
def test_other_family_cannot_reach_a_request(client, parent, activities, illness):
    sr = absence_request(parent, activities, illness)
    other, _household, _child = make_parent()
    client.force_login(other)
    for suffix in ("", "modifier/", "recapitulatif/", "etape/0/"):
        assert client.get(f"/demarches/demande/{sr.pk}/{suffix}").status_code == 404
    for action in ("enregistrer", "abandonner", "annuler"):
        assert client.post(f"/demarches/demande/{sr.pk}/{action}/").status_code == 404
    sr.refresh_from_db()
    assert sr.status == Status.PENDING


@pytest.mark.django_db
def test_agents_only_on_the_back_office(client, parent):
    client.force_login(parent[0])
    assert client.get("/gestion/demandes/").status_code == 403
    client.force_login(AgentFactory())
    assert client.get("/gestion/demandes/").status_code == 200


@pytest.mark.django_db
def test_my_requests_newest_first_and_filtered(client, parent, activities, illness, time_machine):
    first = absence_request(parent, activities, illness)
    time_machine.move_to(datetime.datetime(2026, 11, 26, 11, 0, tzinfo=datetime.UTC), tick=False)
    second = absence_request(parent, activities, illness)
    services.cancel(second, parent[0])
    client.force_login(parent[0])
    page = client.get("/demarches/mes-demandes/").content.decode()
    assert page.index(second.reference) < page.index(first.reference)
    page = client.get("/demarches/mes-demandes/?statut=cancelled").content.decode()
    assert second.reference in page and first.reference not in page


@pytest.mark.django_db
def test_demo_shows_every_status(django_capture_on_commit_callbacks):
    call_command("demo")
    call_command("demo")  # idempotent
    statuses = set(
        ServiceRequest.objects.filter(household__name="Famille Martin").values_list(
            "status", flat=True
        )
    )
    assert statuses == {Status.DRAFT, Status.PENDING, Status.CLOSED, Status.REJECTED}
    assert ServiceRequest.objects.filter(household__name="Famille Martin").count() == 4


@pytest.mark.django_db
def test_parent_modifies_a_pending_request_or_abandons_the_changes(parent, activities, illness):
    user = parent[0]
    sr = absence_request(parent, activities, illness)
    Booking.objects.create(child=parent[2], activity=activities[3], date=TODAY)
    services.save_step(sr, user, {"activities": [activities[3].pk]}, 2)
    sr.refresh_from_db()
    assert sr.data["activities"] == [activities[0].pk, activities[1].pk]  # agents see the old
    services.discard(sr, user)
    sr.refresh_from_db()
    assert sr.status == Status.PENDING and sr.draft_data == sr.data
    services.save_step(sr, user, {"activities": [activities[3].pk]}, 2)
    services.submit(sr, user)
    sr.refresh_from_db()
    assert sr.data["activities"] == [activities[3].pk]
    assert sr.history.last().comment == "Demande modifiée par la famille."
    assert sr.reference == "D-2026-000001"


@pytest.mark.django_db
def test_login_procedures_ask_to_log_in_and_information_does_not(client):
    response = client.get("/demarches/absence/")
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert client.get("/demarches/renseignement/").status_code == 200
    assert client.get("/demarches/inconnue/").status_code == 404


@pytest.mark.django_db
def test_child_info_fragment_is_scoped(client, parent):
    user, household, child = parent
    _other, _h, stranger = make_parent()
    client.force_login(user)
    assert child.school.name in client.get(f"/demarches/enfant/?child={child.pk}").content.decode()
    assert (
        stranger.school.name
        not in client.get(f"/demarches/enfant/?child={stranger.pk}").content.decode()
    )


@pytest.mark.django_db
def test_a_second_click_on_register_changes_nothing(parent, activities, illness):
    sr = absence_request(parent, activities, illness)
    services.submit(sr, parent[0])
    assert sr.history.count() == 2  # created as draft, submitted once
    assert OutboundEmail.objects.count() == 1


def test_an_unknown_procedure_is_a_404_page(client, parent):
    """The catalogue raises its own error (`UnknownProcedure`); the web answers 404."""
    user, _household, _child = parent
    client.force_login(user)
    assert client.get("/demarches/nexiste-pas/").status_code == 404


def _enrolment_taken(parent, school, level, agent):
    """An enrolment of the parent's child at `school`, submitted and taken by `agent`."""
    user, household, child = parent
    data = {"child": str(child.pk), "school": school.pk, "level": level}
    sr = services.start_draft(get_procedure("inscription-scolaire"), household, user, data)
    services.submit(sr, user)
    services.take(sr, agent)
    return sr


@pytest.mark.django_db
def test_enrolment_closes_only_with_valid_documents_or_a_written_reason(parent):
    from portail.core.models import AuditEvent
    from portail.documents import services as documents
    from tests.documents.factories import DocumentTypeFactory, upload

    user, household, child = parent
    proof = DocumentTypeFactory(name="Justificatif de domicile", procedures="inscription-scolaire")
    DocumentTypeFactory(name="Avis d'imposition", procedures="")  # not asked by this procedure
    school = SchoolFactory(name="École de Malagny")
    agent = AgentFactory()
    sr = _enrolment_taken(parent, school, "CM1", agent)

    # Missing, then « non traité », then « invalide »: refused without a reason.
    with pytest.raises(ValidationError) as missing:
        services.close(sr, agent)
    assert "Justificatif de domicile" in str(missing.value) and "non fourni" in str(missing.value)
    document = upload(household, proof, user)
    with pytest.raises(ValidationError):
        services.close(sr, agent)
    documents.invalidate_document(document=document, agent=agent, reason="Illisible")
    with pytest.raises(ValidationError) as invalid:
        services.close(sr, agent, override_reason="   ")
    assert "invalide" in str(invalid.value)
    sr.refresh_from_db()
    assert sr.status == Status.PROCESSING and child.school != school

    # With the agent's written reason: closed, the reason kept, audited.
    services.close(sr, agent, override_reason="Justificatif vu au guichet le 25/11.")
    sr.refresh_from_db()
    assert sr.status == Status.CLOSED
    assert sr.documents_override_reason == "Justificatif vu au guichet le 25/11."
    assert sr.documents_override_by == agent and sr.documents_override_at
    event = AuditEvent.objects.get(action="procedures.documents_overridden")
    assert event.data["reason"] == "Justificatif vu au guichet le 25/11."


@pytest.mark.django_db
def test_enrolment_with_valid_documents_closes_without_a_reason(parent):
    from portail.documents import services as documents
    from tests.documents.factories import DocumentTypeFactory, upload

    user, household, child = parent
    proof = DocumentTypeFactory(procedures="inscription-scolaire")
    agent = AgentFactory()
    documents.validate_document(document=upload(household, proof, user), agent=agent,
                                valid_until=None)  # fmt: skip
    sr = _enrolment_taken(parent, SchoolFactory(), "CP", agent)
    services.close(sr, agent)
    sr.refresh_from_db()
    assert sr.status == Status.CLOSED and sr.documents_override_reason == ""


@pytest.mark.django_db
def test_enrolment_moving_a_child_cancels_the_old_schools_bookings(parent):
    from portail.agenda.models import SchoolMove
    from tests.agenda.factories import make_activities

    user, household, child = parent
    old = make_activities(child.school)
    new_school = SchoolFactory(name="École du Parc")
    make_activities(new_school)
    later = datetime.date(2026, 12, 3)
    Booking.objects.create(child=child, activity=old["lunch"], date=later)
    agent = AgentFactory()
    sr = _enrolment_taken(parent, new_school, "CE1", agent)
    services.close(sr, agent)
    assert Booking.objects.get(date=later).status == "cancelled"
    move = SchoolMove.objects.get(child=child)
    assert (move.to_school, move.effective) == (new_school, TODAY)
