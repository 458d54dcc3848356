import pytest
import time_machine

from portail.documents import services
from portail.documents.models import Concerns, SupportingDocument
from tests.conftest import UPLOADS
from tests.documents.conftest import stored_files
from tests.documents.factories import DocumentTypeFactory, sample, upload
from tests.factories import AgentFactory, make_parent


@pytest.mark.django_db
def test_upload_page_states_formats_and_size_then_stores_under_a_random_name(
    client, parent, media_root
):
    user, household, child = parent
    kind = DocumentTypeFactory(name="Domicile")
    client.force_login(user)
    page = client.get("/justificatifs/").content.decode()
    assert "Fournir mes nouveaux justificatifs @" in page and "fournir le justificatif" in page
    url = f"/justificatifs/fournir/{kind.pk}/household/"
    form = client.get(url).content.decode()
    assert ".doc, .pdf, .jpg, .jpeg, .png, .odt" in form and "2 Mo" in form
    response = client.post(
        url + "?next=/foyer/", {"file": sample("pdf", name="Relevé été.pdf"), "next": "/foyer/"}
    )
    assert response.status_code == 302 and response["Location"] == "/foyer/"
    document = SupportingDocument.objects.get()
    assert document.original_name == "Relevé été.pdf"
    assert document.content_type == "application/pdf"
    [path] = stored_files(media_root)
    assert path.read_bytes() == (UPLOADS / "attestation-domicile.pdf").read_bytes()
    assert "été" not in path.name and path.suffix == ".pdf"
    assert "non traité" in client.get("/justificatifs/").content.decode()
    download = client.get(f"/justificatifs/fichier/{document.pk}/")
    assert "filename*=utf-8''Relev%C3%A9%20%C3%A9t%C3%A9.pdf" in download["Content-Disposition"]
    # an outside `next` is ignored
    response = client.post(url, {"file": sample("png"), "next": "https://evil.example/"})
    assert response["Location"] == "/justificatifs/"


@pytest.mark.django_db
def test_file_view_serves_an_attachment_to_its_family_only(client, parent):
    user, household, child = parent
    kind = DocumentTypeFactory()
    document = upload(household, kind, user, ext="png")
    client.force_login(user)
    response = client.get(f"/justificatifs/fichier/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert "attestation-domicile.png" in response["Content-Disposition"]
    assert (
        b"".join(response.streaming_content) == (UPLOADS / "attestation-domicile.png").read_bytes()
    )
    other_user, other_household, other_child = make_parent()
    client.force_login(other_user)
    assert client.get(f"/justificatifs/fichier/{document.pk}/").status_code == 404
    # another family's child, or whom the type concerns, in the upload URL
    assert client.get(f"/justificatifs/fournir/{kind.pk}/child-{child.pk}/").status_code == 404
    child_kind = DocumentTypeFactory(concerns=Concerns.CHILD)
    assert (
        client.get(f"/justificatifs/fournir/{child_kind.pk}/child-{child.pk}/").status_code == 404
    )
    response = client.post(
        f"/justificatifs/fournir/{child_kind.pk}/child-{child.pk}/", {"file": sample()}
    )
    assert response.status_code == 404
    assert SupportingDocument.objects.count() == 1
    assert (
        client.get(f"/justificatifs/fournir/{child_kind.pk}/child-{other_child.pk}/").status_code
        == 200
    )
    # agents' views are for agents
    assert client.get(f"/gestion/justificatifs/{document.pk}/fichier/").status_code == 403


@pytest.mark.django_db
@time_machine.travel("2026-09-10 12:00 +02:00", tick=False)
def test_agent_review_validate_with_prefilled_date_and_invalidate(client, parent):
    user, household, child = parent
    agent = AgentFactory()
    kind = DocumentTypeFactory(name="Domicile", validity_months=3)
    document = upload(household, kind, user, ext="jpg")
    client.force_login(agent)
    queue = client.get("/gestion/justificatifs/").content.decode()
    assert "Domicile" in queue and household.name in queue
    review = client.get(f"/gestion/justificatifs/{document.pk}/").content.decode()
    assert 'value="2026-12-09"' in review  # 3 months from the upload
    preview = client.get(f"/gestion/justificatifs/{document.pk}/apercu/")
    assert (
        preview["Content-Type"] == "image/jpeg" and preview["X-Content-Type-Options"] == "nosniff"
    )
    response = client.post(
        f"/gestion/justificatifs/{document.pk}/valider/", {"valid_until": "2026-01-01"}
    )
    assert "ne peut pas être dans le passé" in response.content.decode()
    response = client.post(
        f"/gestion/justificatifs/{document.pk}/valider/", {"valid_until": "2026-12-31"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "valid" and str(document.valid_until) == "2026-12-31"
    second = upload(household, kind, user)
    response = client.post(f"/gestion/justificatifs/{second.pk}/invalider/", {"reason": ""})
    assert "Indiquez le motif du refus." in response.content.decode()
    client.post(f"/gestion/justificatifs/{second.pk}/invalider/", {"reason": "Flou"})
    second.refresh_from_db()
    assert second.status == "invalid" and second.reason == "Flou"


@pytest.mark.django_db
def test_agent_asks_a_family_for_a_document(client, parent):
    user, household, child = parent
    agent = AgentFactory()
    kind = DocumentTypeFactory(name="Assurance", concerns=Concerns.CHILD)
    client.force_login(agent)
    search = client.get("/gestion/justificatifs/", {"q": household.name}).content.decode()
    assert f"/gestion/justificatifs/foyer/{household.pk}/" in search
    url = f"/gestion/justificatifs/foyer/{household.pk}/reclamer/{kind.pk}/child-{child.pk}/"
    prefix = f"c{kind.pk}-child-{child.pk}"
    response = client.post(url, {f"{prefix}-message": ""})
    assert "Écrivez un message à la famille." in response.content.decode()
    client.post(url, {f"{prefix}-message": "Attestation 2026-2027"})
    client.force_login(user)
    page = client.get("/justificatifs/").content.decode()
    assert "réclamé" in page and "Attestation 2026-2027" in page


@pytest.mark.django_db
def test_parent_pages_need_a_household_and_agent_pages_an_agent(client, parent):
    user, household, child = parent
    assert client.get("/justificatifs/").status_code == 302
    client.force_login(user)
    assert client.get("/gestion/justificatifs/").status_code == 403
    client.force_login(AgentFactory())
    assert client.get("/justificatifs/").status_code == 404


@pytest.mark.django_db
def test_upload_document_service_reusable_in_a_procedure(parent):
    user, household, child = parent
    kind = DocumentTypeFactory(concerns=Concerns.CHILD)
    document = services.upload_document(
        household=household, document_type=kind, file=sample("odt"), uploaded_by=user, child=child
    )
    assert document.status == "pending" and document.content_type.endswith("opendocument.text")


@pytest.mark.django_db
def test_admin_pages_of_the_area(client, parent):
    from tests.factories import UserFactory

    user, household, child = parent
    kind = DocumentTypeFactory()
    document = upload(household, kind, user)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    for url in (
        "/administration/documents/documenttype/",
        "/administration/documents/documenttype/add/",
        f"/administration/documents/documenttype/{kind.pk}/change/",
        "/administration/documents/supportingdocument/",
        f"/administration/documents/supportingdocument/{document.pk}/change/",
        "/administration/documents/documentclaim/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/administration/documents/documenttype/add/",
        {
            "name": "Livret de famille",
            "concerns": "household",
            "procedures": "inscription scolaire",
            "position": 0,
        },
    )
    assert "Saisissez des identifiants de démarches" in response.content.decode()


@pytest.mark.django_db
def test_downloads_cannot_run_in_the_portal_origin(client, parent):
    user, household, child = parent
    document = upload(household, DocumentTypeFactory(), user)
    client.force_login(user)
    response = client.get(f"/justificatifs/fichier/{document.pk}/")
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_daily_job_refuses_a_bad_date():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("documents_daily", "--date", "27/11/2026")


@pytest.mark.django_db
def test_upload_still_needs_the_csrf_token(parent):
    from django.test import Client

    user, household, child = parent
    kind = DocumentTypeFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(f"/justificatifs/fournir/{kind.pk}/household/", {"file": sample()})
    assert response.status_code == 403
    assert SupportingDocument.objects.count() == 0
