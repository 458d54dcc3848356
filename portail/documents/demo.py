"""Demo: the town's document types and the demo parent's documents in several states."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from portail.accounts.models import User
from portail.core import clock
from portail.documents import services
from portail.documents.models import Concerns, DocumentClaim, DocumentType, SupportingDocument
from portail.families.models import Household

TYPES = [
    # name, concerns, months, each school year, procedures, description
    (
        "Justificatif de domicile",
        Concerns.HOUSEHOLD,
        3,
        False,
        "inscription-scolaire",
        "Facture d'eau, d'électricité ou de téléphone fixe de moins de 3 mois.",
    ),
    (
        "Attestation d'assurance scolaire",
        Concerns.CHILD,
        None,
        True,
        "inscription-scolaire",
        "Responsabilité civile et individuelle accident pour l'année scolaire.",
    ),
    (
        "Carnet de vaccination",
        Concerns.CHILD,
        None,
        False,
        "inscription-scolaire",
        "Les pages des vaccinations obligatoires.",
    ),
    (
        "Avis d'imposition / attestation CAF pour le quotient familial",
        Concerns.HOUSEHOLD,
        12,
        False,
        "",
        "Le dernier avis d'imposition ou une attestation CAF de moins de 3 mois.",
    ),
]


def small_pdf(title: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("Helvetica", 14)
    page.drawString(72, 770, title)
    page.drawString(72, 750, "Document de démonstration – Famille Martin, Viry")
    page.showPage()
    page.save()
    return buffer.getvalue()


def load(stdout):
    types = {}
    for position, (name, concerns, months, yearly, procedures, help_text) in enumerate(TYPES):
        types[name], _ = DocumentType.objects.update_or_create(
            name=name,
            defaults={
                "concerns": concerns,
                "validity_months": months,
                "each_school_year": yearly,
                "procedures": procedures,
                "description": help_text,
                "position": position,
                "active": True,
            },
        )
    household = Household.objects.filter(name="Famille Martin").first()
    if household is None:
        return
    parent = User.objects.filter(username="demo.parent").first()
    agent = User.objects.filter(username="demo.agent").first()
    lea = household.children.filter(first_name="Léa").first()
    hugo = household.children.filter(first_name="Hugo").first()
    today = clock.today()
    address = types["Justificatif de domicile"]
    if not SupportingDocument.objects.filter(household=household, document_type=address).exists():
        # « valide »
        document = services.upload_document(
            household=household,
            document_type=address,
            file=SimpleUploadedFile("facture-electricite.pdf", small_pdf("Facture d'électricité")),
            uploaded_by=parent,
        )
        services.validate_document(
            document=document,
            agent=agent,
            valid_until=address.default_valid_until(today - datetime.timedelta(days=20)),
        )
    insurance = types["Attestation d'assurance scolaire"]
    if (
        lea
        and not DocumentClaim.objects.filter(
            household=household, document_type=insurance, child=lea
        ).exists()
    ):
        # « réclamé »
        services.request_document(
            household=household,
            document_type=insurance,
            agent=agent,
            message="Merci de fournir l'attestation d'assurance de Léa pour cette année scolaire.",
            child=lea,
        )
    vaccines = types["Carnet de vaccination"]
    if (
        hugo
        and not SupportingDocument.objects.filter(
            household=household, document_type=vaccines, child=hugo
        ).exists()
    ):
        # « non traité », for the agents' queue
        services.upload_document(
            household=household,
            document_type=vaccines,
            file=SimpleUploadedFile("carnet-vaccination-hugo.pdf", small_pdf("Carnet de Hugo")),
            uploaded_by=parent,
            child=hugo,
        )
    if (
        lea
        and not SupportingDocument.objects.filter(
            household=household, document_type=vaccines, child=lea
        ).exists()
    ):
        # « périmé »: accepted until a day now past (set here: an agent may only enter a future
        # end), then expired by the daily job's own function.
        document = services.upload_document(
            household=household,
            document_type=vaccines,
            file=SimpleUploadedFile("carnet-vaccination-lea.pdf", small_pdf("Carnet de Léa")),
            uploaded_by=parent,
            child=lea,
        )
        services.validate_document(document=document, agent=agent, valid_until=today)
        SupportingDocument.objects.filter(pk=document.pk).update(
            valid_until=today - datetime.timedelta(days=10)
        )
        services.expire_documents(today)
    stdout.write("Documents: types and the Martin family's documents loaded.")
