"""What the service corrects on the family record (issue 13, item 1): each change goes
through `families.services`, is audited with what changed, and the parents are told."""

import pytest

from portail.core.models import AuditEvent
from portail.families import services
from portail.messaging.models import Message, OutboundEmail
from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import AgentFactory, make_parent


@pytest.fixture
def family(db):
    user, household, child = make_parent()
    return user, household, child, AgentFactory()


def _told(user):
    return list(Message.objects.filter(recipient=user).values_list("subject", flat=True))


def test_correcting_the_address_is_audited_and_told(family):
    user, household, _child, agent = family
    services.agent_update_address(
        household, {"address_line1": "3 place de la Mairie", "city": "Viry"}, actor=agent
    )
    household.refresh_from_db()
    assert household.address_line1 == "3 place de la Mairie"
    event = AuditEvent.objects.get(action="household.address_corrected")
    assert event.actor == agent and event.household_id == household.pk
    assert event.data["changes"] == {"address_line1": ["1 rue de la Paix", "3 place de la Mairie"]}
    assert _told(user) == ["Votre adresse a été mise à jour"]
    assert OutboundEmail.objects.filter(to=user.email).count() == 1


def test_nothing_changed_nothing_recorded_nor_told(family):
    user, household, _child, agent = family
    services.agent_update_address(household, {"city": household.city}, actor=agent)
    assert not AuditEvent.objects.exists() and _told(user) == []


def test_correcting_a_phone_is_audited_told_and_searchable(family):
    user, household, _child, agent = family
    adult = household.adults.get()
    services.agent_update_adult(adult, {"phone": "06 98 76 54 32"}, actor=agent)
    event = AuditEvent.objects.get(action="adult.corrected")
    assert event.household_id == household.pk
    assert event.data["changes"] == {"phone": ["", "06 98 76 54 32"]}
    assert _told(user) == ["Vos coordonnées ont été mises à jour"]
    from portail.families.selectors import search_households

    assert search_households("0698765432").get() == household


def test_the_account_holders_sign_in_mail_is_not_the_agents_to_change(family):
    user, household, _child, agent = family
    adult = household.adults.get()
    before = adult.email
    services.agent_update_adult(adult, {"email": "autre@exemple.fr"}, actor=agent)
    adult.refresh_from_db()
    assert adult.email == before != "autre@exemple.fr" and not AuditEvent.objects.exists()


def test_the_family_quotient_is_set_with_its_proof(family):
    user, household, _child, agent = family
    proof = upload(household, DocumentTypeFactory(name="Attestation CAF"), user)
    services.agent_set_family_quotient(household, 640, actor=agent, proof=proof)
    household.refresh_from_db()
    assert household.family_quotient == 640
    event = AuditEvent.objects.get(action="household.quotient_set")
    assert event.data["after"] == 640 and event.data["proof"] == proof.pk
    assert _told(user)[0] == "Votre quotient familial a été mis à jour"


def test_a_childs_level_and_pai_are_corrected_audited_and_told(family):
    user, household, child, agent = family
    services.agent_update_child(
        child, {"level": "CE2", "has_pai": True, "allergies": "arachide"}, actor=agent
    )
    child.refresh_from_db()
    assert (child.level, child.has_pai, child.allergies) == ("CE2", True, "arachide")
    event = AuditEvent.objects.get(action="child.corrected")
    assert event.household_id == household.pk
    assert set(event.data["changes"]) == {"level", "has_pai", "allergies"}
    assert len(_told(user)) == 1


def test_another_phone_is_added_then_corrected_audited_told_and_searchable(family):
    user, household, _child, agent = family
    contact = services.agent_save_contact(
        household, {"channel": "phone", "value": "04 50 00 00 00", "label": "travail"}, actor=agent
    )
    services.agent_save_contact(
        household, {"channel": "phone", "value": "04 50 11 11 11"}, actor=agent, contact=contact
    )
    events = list(AuditEvent.objects.filter(action="household.contact_corrected").order_by("pk"))
    assert [e.household_id for e in events] == [household.pk, household.pk]
    assert events[1].data["changes"] == {"value": ["04 50 00 00 00", "04 50 11 11 11"]}
    assert len(_told(user)) == 2
    from portail.families.selectors import search_households

    assert search_households("04.50.11.11.11").get() == household
    assert not search_households("0450000000").exists()
