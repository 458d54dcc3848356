"""PDFs that last (issue 15, item 6): every font embedded (TrueType, FontFile2), title, author,
subject and language set, page numbers and issue date on every page. Read back with pypdf."""

import io

import pytest
import time_machine
from django.core.management import call_command
from pypdf import PdfReader

from portail.accounts.models import User


def _fonts(reader):
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            fonts[font["/BaseFont"]] = described.get("/FontDescriptor")
    return fonts


@pytest.mark.django_db
@time_machine.travel("2026-12-01 10:00 +01:00", tick=False)
def test_the_statement_embeds_its_fonts_and_says_what_when_and_which_page(client):
    call_command("demo", stdout=None)
    client.force_login(User.objects.get(username="demo.parent"))
    response = client.get("/paiements/releve/imprimer/")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    fonts = _fonts(reader)
    assert fonts, "no font found"
    for name, descriptor in fonts.items():
        assert descriptor is not None and "/FontFile2" in descriptor.get_object(), name
        assert "DejaVuSans" in name
    info = reader.metadata
    assert info.title.startswith("Relevé de compte")
    assert info.author and "Viry" in info.author
    assert info.subject == info.title
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        assert f"Édité le 1er décembre 2026 – page {number} sur {pages}" in text
