import pytest

from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import make_parent


@pytest.mark.django_db
def test_profile_shows_the_state_of_the_supporting_documents(client):
    user, household, _child = make_parent()
    address = DocumentTypeFactory(name="Justificatif de domicile")
    DocumentTypeFactory(name="Attestation CAF")
    upload(household, address, user)
    client.force_login(user)
    html = client.get("/compte/profil/").content.decode()
    assert "Justificatif de domicile" in html and "non traité" in html
    assert "Attestation CAF" in html and "non fourni" in html
    assert "fournir le justificatif" in html
