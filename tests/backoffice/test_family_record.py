"""The family record, the global search and the journal of actions (issue 13, items 1, 8)."""

import re

import pytest
from django.test import Client

from portail.billing.services import record_cash_payment
from portail.core.models import AuditEvent
from portail.families import services as family_services
from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import AdultFactory, AgentFactory, CashierFactory, ChildFactory, make_parent


@pytest.fixture
def agent(db):
    client = Client()
    user = AgentFactory(first_name="Agathe", last_name="Agent")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def family(db):
    user, household, child = make_parent()
    child.first_name = "Léa"
    child.save()
    adult = household.adults.get()
    adult.first_name, adult.last_name, adult.phone = "Claire", "Martin", "06 12 34 56 78"
    adult.save()
    return household


def _text(response):
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_record_shows_every_area_of_the_family(agent, family):
    text = _text(agent.get(f"/gestion/familles/{family.pk}/"))
    for part in (
        f"Fiche famille : {family.name}",
        "Léa",
        "06 12 34 56 78",
        "Quotient familial",
        "Justificatifs",
        "Demandes",
        "Compte d'avance",
        "Messages envoyés à la famille",
        "Journal des actions",
    ):
        assert part.replace(" :", "\u00a0:") in text or part in text, part


def test_an_unknown_family_is_a_404(agent, db):
    assert agent.get("/gestion/familles/999999/").status_code == 404
    assert agent.get("/gestion/familles/999999/adresse/").status_code == 404


def test_another_familys_adult_or_child_is_a_404(agent, family):
    other = ChildFactory()
    stranger = AdultFactory()
    assert agent.get(f"/gestion/familles/{family.pk}/enfant/{other.pk}/").status_code == 404
    assert agent.get(f"/gestion/familles/{family.pk}/adulte/{stranger.pk}/").status_code == 404


def test_the_cashier_reads_the_record_but_may_not_correct(family):
    client = Client()
    client.force_login(CashierFactory())
    page = _text(client.get(f"/gestion/familles/{family.pk}/"))
    assert "Consultation seule" in page and "Corriger" not in page
    adult = family.adults.get()
    response = client.post(
        f"/gestion/familles/{family.pk}/adulte/{adult.pk}/",
        {"last_name": "X", "first_name": "Y", "phone": "0700000000"},
    )
    assert response.status_code == 403


def test_the_agent_corrects_a_phone_and_the_journal_says_so_in_french(agent, family):
    adult = family.adults.get()
    url = f"/gestion/familles/{family.pk}/adulte/{adult.pk}/"
    data = {
        "last_name": adult.last_name,
        "first_name": adult.first_name,
        "relationship": "mother",
        "phone": "06 98 76 54 32",
    }
    response = agent.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/gestion/familles/{family.pk}/"
    page = _text(agent.get(response["Location"]))
    assert "06 98 76 54 32" in page
    assert f"Coordonnées de {adult.first_name} {adult.last_name} corrigées par le service" in page
    assert "téléphone\u00a0: 06 12 34 56 78 → 06 98 76 54 32" in page
    assert "Agathe Agent" in page


def test_a_bad_phone_is_refused_beside_the_field_and_kept(agent, family):
    adult = family.adults.get()
    response = agent.post(
        f"/gestion/familles/{family.pk}/adulte/{adult.pk}/",
        {"last_name": adult.last_name, "first_name": adult.first_name, "phone": "12"},
    )
    assert response.status_code == 400
    assert "au moins 10 chiffres" in response.content.decode()
    assert 'value="12"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="adult.corrected").exists()


def test_the_quotient_needs_a_document_of_the_family(agent, family):
    proof = upload(family, DocumentTypeFactory(name="Attestation CAF"))
    foreign = upload(ChildFactory().household, DocumentTypeFactory(name="Autre"))
    url = f"/gestion/familles/{family.pk}/quotient/"
    assert agent.post(url, {"family_quotient": "640", "proof": foreign.pk}).status_code == 400
    assert agent.post(url, {"family_quotient": "640", "proof": proof.pk}).status_code == 302
    family.refresh_from_db()
    assert family.family_quotient == 640
    page = _text(agent.get(f"/gestion/familles/{family.pk}/"))
    assert "Quotient familial fixé à 640 (justificatif\u00a0: Attestation CAF" in page


def test_the_child_form_corrects_level_and_pai(agent, family):
    child = family.children.get()
    response = agent.post(
        f"/gestion/familles/{family.pk}/enfant/{child.pk}/",
        {"level": "CM1", "has_pai": "on", "allergies": "arachide"},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.level, child.has_pai, child.allergies) == ("CM1", True, "arachide")


@pytest.mark.parametrize("query", ["lea", "LÉA", "06.12.34.56.78", "0612345678"])
def test_one_family_found_opens_its_record(agent, family, query):
    response = agent.get("/gestion/recherche/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == f"/gestion/familles/{family.pk}/"


def test_several_families_are_listed_with_what_matched(agent, family):
    second = ChildFactory(first_name="Léane").household
    page = _text(agent.get("/gestion/recherche/", {"q": "lea"}))
    assert "2 familles trouvées" in page
    assert family.name in page and second.name in page
    assert "Léane Martin" in page


def test_nothing_found_says_so(agent, family):
    page = _text(agent.get("/gestion/recherche/", {"q": "zzz"}))
    assert "Aucune famille trouvée pour «\u00a0zzz\u00a0»" in page


def test_a_receipt_number_goes_straight_to_the_account(agent, family):
    receipt = record_cash_payment(family, "20.00", CashierFactory())
    response = agent.get("/gestion/recherche/", {"q": receipt.reference.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/gestion/regie/foyer/{family.pk}/"


def test_every_staff_page_has_the_search_field(agent, family):
    for url in ("/gestion/", "/gestion/justificatifs/", f"/gestion/familles/{family.pk}/"):
        html = agent.get(url).content.decode()
        assert 'role="search"' in html and 'action="/gestion/recherche/"' in html, url


def test_the_journal_filters_pages_and_exports(agent, family):
    other = make_parent()[1]
    for n in range(60):
        family_services.agent_update_address(
            family, {"address_line1": f"{n} rue Neuve"}, actor=agent.user
        )
    family_services.agent_update_address(other, {"city": "Annecy"}, actor=None)
    page = _text(agent.get("/gestion/journal/"))
    assert "61 actions enregistrées." in page and "Page 1 sur 2" in page
    page = _text(agent.get("/gestion/journal/", {"foyer": family.pk}))
    assert "60 actions enregistrées." in page
    page = _text(agent.get("/gestion/journal/", {"agent": agent.user.pk, "page": 2}))
    assert "60 actions enregistrées." in page and "Page 2 sur 2" in page
    response = agent.get("/gestion/journal/export.csv", {"family": other.name})
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    assert rows[0] == "Quand;Qui;Quoi;Détail;Famille;Code"
    assert len(rows) == 2 and "Adresse du foyer corrigée par le service" in rows[1]
    assert "le portail" in rows[1] and other.name in rows[1]


def test_the_journal_refuses_a_reversed_range_in_french(agent, db):
    response = agent.get("/gestion/journal/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 400
    assert "La date de fin est antérieure à la date de début." in response.content.decode()


def test_a_bad_e_mail_in_another_contact_is_refused_beside_the_field(agent, family):
    url = f"/gestion/familles/{family.pk}/contact/"
    response = agent.post(url, {"channel": "email", "value": "pas-une-adresse"})
    assert response.status_code == 400 and 'value="pas-une-adresse"' in response.content.decode()
    response = agent.post(url, {"channel": "email", "value": "Bureau@Exemple.fr"})
    assert response.status_code == 302
    assert "bureau@exemple.fr" in _text(agent.get(response["Location"]))


@pytest.mark.parametrize("query", ["R-2026-99999999999999999999", "R-²⁰²⁶-1", "D-2026-000999"])
def test_an_unknown_or_odd_reference_is_only_not_found(agent, family, query):
    response = agent.get("/gestion/recherche/", {"q": query})
    assert response.status_code == 200 and "Aucune famille trouvée" in _text(response)


def test_the_record_leads_to_a_childs_school_change(agent, family):
    child = family.children.get()
    page = _text(agent.get(f"/gestion/familles/{family.pk}/"))
    raw = agent.get(f"/gestion/familles/{family.pk}/").content.decode()
    assert f'href="/gestion/agenda/enfant/{child.pk}/changement-ecole/"' in raw, page[:3000]
    assert "Changement d'école" in page.replace("&#x27;", "'")
    assert agent.get(f"/gestion/agenda/enfant/{child.pk}/changement-ecole/").status_code == 200
