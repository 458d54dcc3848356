"""Browser journeys: a parent provides documents; an agent validates, refuses, asks for one."""

import re

import pytest
from playwright.sync_api import expect

from portail.documents import services
from portail.documents.models import Concerns, SupportingDocument
from tests.conftest import UPLOADS, assert_accessible, login
from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import AgentFactory

FORMATS = ["pdf", "odt", "doc", "jpg", "png"]


@pytest.mark.django_db(transaction=True)
def test_parent_provides_each_format_from_the_home_page(page, parent, media_root):
    user, household, child = parent
    agent = AgentFactory()
    kinds = [DocumentTypeFactory(name=f"Pièce {ext.upper()}") for ext in FORMATS]
    services.request_document(
        household=household, document_type=kinds[0], agent=agent, message="Facture récente SVP"
    )
    login(page, user.username)
    page.goto("/")
    page.get_by_role("link", name="Fournir mes nouveaux justificatifs @").click()
    expect(page.locator("h1")).to_have_text("Fournir mes nouveaux justificatifs @")
    expect(page.get_by_text("Facture récente SVP")).to_be_visible()
    expect(page.locator(".doc-state").first).to_have_text("réclamé")
    assert_accessible(page)
    # a bad file first: its message beside the field, nothing stored
    page.get_by_role("link", name=re.compile(r"fournir le justificatif\s: Pièce PDF")).click()
    expect(
        page.get_by_text("Formats acceptés\u00a0: .doc, .pdf, .jpg, .jpeg, .png, .odt")
    ).to_be_visible()
    expect(page.get_by_text("Le fichier ne doit pas excéder 2 Mo")).to_be_visible()
    page.get_by_label("Document").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Bonjour"}
    )
    page.get_by_role("button", name="valider").click()
    error = page.locator("#id_file_error")
    expect(error).to_contain_text("Ce format n'est pas accepté")
    assert_accessible(page)
    assert SupportingDocument.objects.count() == 0
    for kind, ext in zip(kinds, FORMATS, strict=True):
        page.goto("/justificatifs/")
        page.get_by_role(
            "link", name=re.compile(rf"fournir le justificatif\s: {kind.name}")
        ).click()
        if ext == "pdf":
            assert_accessible(page)
        page.get_by_label("Document").set_input_files(UPLOADS / f"attestation-domicile.{ext}")
        page.get_by_role("button", name="valider").click()
        expect(page.get_by_text("Votre justificatif a bien été reçu.")).to_be_visible()
        item = page.locator(".doc-req", has_text=kind.name)
        expect(item.locator(".doc-state")).to_have_text("non traité")
    assert SupportingDocument.objects.filter(status="pending").count() == len(FORMATS)
    expect(
        page.get_by_text("Rien à fournir\u00a0: tous vos justificatifs sont déposés.")
    ).to_be_visible()
    assert_accessible(page)
    # the family downloads its own file
    with page.expect_download() as download:
        page.locator(".doc-req", has_text="Pièce PNG").get_by_role(
            "link", name=re.compile("Télécharger")
        ).click()
    assert download.value.suggested_filename == "attestation-domicile.png"


@pytest.mark.django_db(transaction=True)
def test_agent_validates_and_refuses_and_the_family_is_told(page, parent, mailbox, media_root):
    user, household, child = parent
    agent = AgentFactory()
    address = DocumentTypeFactory(name="Justificatif de domicile", validity_months=3)
    vaccines = DocumentTypeFactory(name="Carnet de vaccination", concerns=Concerns.CHILD)
    image = upload(household, address, user, ext="jpg")
    pdf = upload(household, vaccines, user, ext="pdf", child=child)
    login(page, agent.username)
    page.goto("/gestion/")
    page.get_by_role("link", name="Justificatifs à vérifier", exact=True).click()
    expect(page.get_by_text("2 justificatifs", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Justificatif de domicile", exact=True).click()
    preview = page.get_by_role("img", name=re.compile("Document déposé"))
    expect(preview).to_be_visible()
    # the image really loads (served inline to agents only)
    width = page.locator("img.doc-preview").evaluate(
        "img => img.decode().then(() => img.naturalWidth)"
    )
    assert width > 0
    valid_until = page.get_by_label("Valide jusqu'au")
    assert valid_until.input_value() != ""  # pre-filled from the type's 3 months
    assert_accessible(page)
    valid_until.fill("2099-12-31")
    page.get_by_role("button", name="Valider le justificatif", exact=True).click()
    expect(page.get_by_text("Le document est valide. La famille a été prévenue.")).to_be_visible()
    image.refresh_from_db()
    assert image.status == "valid" and str(image.valid_until) == "2099-12-31"
    # the refusal, with its reason
    page.get_by_role("link", name=re.compile("^Carnet de vaccination")).click()
    expect(page.get_by_text("téléchargez-le pour le lire")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger attestation-domicile.pdf")).click()
    assert download.value.suggested_filename == "attestation-domicile.pdf"
    page.get_by_role("button", name="Invalider le justificatif").click()
    expect(page.locator("#id_reason_error")).to_have_text("Indiquez le motif du refus.")
    assert_accessible(page)
    page.get_by_label("Motif du refus").fill("La page des vaccins obligatoires manque.")
    page.get_by_role("button", name="Invalider le justificatif").click()
    expect(page.get_by_text("Aucun document en attente.")).to_be_visible()
    pdf.refresh_from_db()
    assert pdf.status == "invalid"
    subjects = {m["subject"] for m in mailbox.to(user.email)}
    assert subjects == {"Justificatif accepté", "Justificatif refusé"}
    assert "31/12/2099" in next(
        m["body"] for m in mailbox.to(user.email) if m["subject"] == "Justificatif accepté"
    )
    # the family sees both states, and the reason
    page.get_by_role("button", name="Se déconnecter").click()
    login(page, user.username)
    page.goto("/justificatifs/")
    refused = page.locator(".doc-req", has_text="Carnet de vaccination")
    expect(refused.locator(".doc-state")).to_have_text("invalide")
    expect(refused).to_contain_text("La page des vaccins obligatoires manque.")
    valid = page.locator(".doc-req", has_text="Justificatif de domicile")
    expect(valid).to_contain_text("valide jusqu'au 31/12/2099")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_agent_asks_a_family_for_a_document(page, parent, mailbox):
    user, household, child = parent
    agent = AgentFactory()
    DocumentTypeFactory(name="Attestation d'assurance scolaire", concerns=Concerns.CHILD)
    login(page, agent.username)
    page.goto("/gestion/justificatifs/")
    page.get_by_label("Nom de la famille, d'un adulte ou prénom d'un enfant").fill(household.name)
    page.locator("#contenu").get_by_role("button", name="Rechercher").click()
    assert_accessible(page)
    page.get_by_role("link", name=household.name).click()
    expect(page.locator(".doc-state")).to_have_text("non fourni")
    assert_accessible(page)
    page.get_by_text("Réclamer ce justificatif à la famille").click()
    page.get_by_label("Message à la famille").fill("Merci de fournir l'attestation 2026-2027.")
    page.get_by_role("button", name="Réclamer le justificatif").click()
    expect(page.locator(".doc-state")).to_have_text("réclamé")
    assert_accessible(page)
    mail = mailbox.last(user.email)
    assert mail["subject"] == "Un justificatif vous est réclamé"
    assert "attestation 2026-2027" in mail["body"]
