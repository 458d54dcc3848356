import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from portail.documents import services
from portail.documents.models import Concerns, DocumentType
from tests.conftest import UPLOADS


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentType

    name = factory.Sequence(lambda n: f"Justificatif {n}")
    concerns = Concerns.HOUSEHOLD
    validity_months = 3
    procedures = "inscription-scolaire"


def sample(ext="pdf", name=None) -> SimpleUploadedFile:
    path = UPLOADS / f"attestation-domicile.{ext}"
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def upload(household, document_type, user=None, ext="pdf", **concerned):
    return services.upload_document(
        household=household,
        document_type=document_type,
        file=sample(ext),
        uploaded_by=user,
        **concerned,
    )
