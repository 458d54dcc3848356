"""PDFs that last (issue 15, item 6): each kind of document (statement, tax certificate, cash
receipt, cash journal) read back as a PDF/A-2u validator would, with pypdf: every font embedded
(FontFile2) with a ToUnicode map, XMP metadata with the PDF/A identification and the same title,
author and dates as the Info dictionary, an sRGB output intent, the language, no encryption, no
transparency, no CMYK; French text extractable; the statement's page numbers and issue date.

veraPDF (the reference validator) is run too when `verapdf` is on the PATH or VERAPDF names it;
it is not a Debian, PyPI or npm package, so on this project's machines that test is skipped."""

import datetime
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from pypdf import PdfReader
from pypdf.generic import ContentStream

from portail.agenda.models import Activity
from portail.billing import services
from portail.billing.models import LedgerEntry
from portail.core.models import TownSettings
from tests.billing.factories import make_activity
from tests.factories import ChildFactory

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
MORNING = datetime.datetime(2027, 1, 12, 9, 5, tzinfo=datetime.UTC)  # 10:05 in Paris
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def _objects(reader):
    for number in range(1, reader.trailer["/Size"]):
        try:
            yield reader.get_object(number)
        except Exception:  # a free entry of the cross-reference table
            continue


def _xmp_value(root, path):
    found = root.find(f".//{path}", NS)
    if found is not None:
        return found.text or ""
    name = path.split("/")[0]  # the attribute form: <rdf:Description pdf:Producer="…"/>
    prefix, local = name.split(":")
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        value = description.get(f"{{{NS[prefix]}}}{local}")
        if value is not None:
            return value
    raise AssertionError(f"{path} not in the XMP metadata")


def _instant(pdf_date: str) -> datetime.datetime:
    """D:20261201100000+01'00' → an aware datetime."""
    return datetime.datetime.strptime(pdf_date[2:].replace("'", ""), "%Y%m%d%H%M%S%z")


def assert_pdfa(content: bytes, title: str) -> PdfReader:
    assert content.startswith(b"%PDF-1.")
    assert all(byte > 127 for byte in content.split(b"\n")[1][1:5]), "binary comment line"
    for stream in re.finditer(rb"(?<!end)stream\r?\n", content):
        header = content[content.rfind(b" obj", 0, stream.start()) : stream.start()]
        end = stream.end() + int(re.search(rb"/Length (\d+)", header)[1])
        assert re.match(rb"\r?\nendstream", content[end:]), "EOL before endstream (6.1.7.1)"
    reader = PdfReader(io.BytesIO(content))
    assert not reader.is_encrypted and "/Encrypt" not in reader.trailer
    assert reader.trailer.get("/ID"), "file identifier"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-FR"

    # Info dictionary and XMP metadata say the same.
    info = reader.metadata
    assert info.title == title
    town = TownSettings.current()
    assert info.author == f"{town.town_name} – {town.service_name}"
    assert info.subject == title and info.creator == town.portal_name
    stream = root["/Metadata"].get_object()
    assert stream["/Type"] == "/Metadata" and stream["/Subtype"] == "/XML"
    assert "/Filter" not in stream, "PDF/A: the metadata stream is not compressed"
    packet = stream.get_data().decode("utf-8")
    assert packet.startswith('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>')
    assert " bytes=" not in packet.split("?>")[0]
    xmp = ET.fromstring(packet.split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    assert _xmp_value(xmp, "pdfaid:part") == "2"
    assert _xmp_value(xmp, "pdfaid:conformance") == "U"
    assert _xmp_value(xmp, "dc:title/rdf:Alt/rdf:li") == info.title
    assert _xmp_value(xmp, "dc:creator/rdf:Seq/rdf:li") == info.author
    assert _xmp_value(xmp, "dc:description/rdf:Alt/rdf:li") == info.subject
    assert _xmp_value(xmp, "dc:language/rdf:Bag/rdf:li") == "fr-FR"
    assert _xmp_value(xmp, "xmp:CreatorTool") == info.creator
    assert _xmp_value(xmp, "pdf:Producer") == info["/Producer"]
    assert _xmp_value(xmp, "pdf:Keywords") == info.get("/Keywords", "")
    for key, tag in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        xmp_date = datetime.datetime.fromisoformat(_xmp_value(xmp, tag))
        assert xmp_date == _instant(info[key]), key

    # Output intent: the sRGB profile, RGB monitor class, ICC version 2 or 4.
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/Type"] == "/OutputIntent" and intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile_stream = intent["/DestOutputProfile"].get_object()
    profile = profile_stream.get_data()
    assert profile_stream["/N"] == 3 and len(profile) == int.from_bytes(profile[:4], "big")
    assert profile[12:20] == b"mntrRGB " and profile[36:40] == b"acsp" and profile[8] in (2, 4)

    # Fonts: all embedded subsets of TrueType programs, each with its Unicode map.
    fonts = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts += 1
            name = font["/BaseFont"]
            assert not any(standard in name for standard in STANDARD_14), name
            assert name[7] == "+" and "DejaVuSans" in name, name
            assert font["/Subtype"] == "/TrueType" and "/ToUnicode" in font, name
            assert "/Encoding" not in font, "symbolic TrueType: no Encoding (PDF/A-2 6.2.11.6)"
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, name
            program = descriptor["/FontFile2"].get_object().get_data()
            assert program[:4] == b"\x00\x01\x00\x00" and b"cmap" in program[:400], name
    assert fonts

    # No transparency, no CMYK, nothing active or attached.
    for obj in _objects(reader):
        if not hasattr(obj, "keys"):
            continue
        for key in ("/SMask", "/Group", "/BM", "/JS", "/JavaScript", "/EmbeddedFiles", "/AA"):
            assert key not in obj, key
        for key in ("/CA", "/ca"):
            assert obj.get(key, 1) == 1, key
        assert obj.get("/ColorSpace") != "/DeviceCMYK"
    for page in reader.pages:
        assert "/Annots" not in page
        operators = {op for _operands, op in ContentStream(page.get_contents(), reader).operations}
        assert not operators & {b"k", b"K"}, "DeviceCMYK colour with an RGB output intent"
    return reader


def _text(reader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def toddler(parent):
    user, household, _child = parent
    born = datetime.date(2021, 9, 2)  # under 6 on 1 January 2026: a tax certificate
    child = ChildFactory(household=household, first_name="Hugo", birth_date=born)
    evening = make_activity(child.school, Activity.Kind.EVENING1, "1.60")
    evening.name = "Accueil soir"
    evening.save()
    return user, household, child, evening


def _consume(household, child, activity, day, amount="1.60"):
    services.post_entry(
        household,
        -Decimal(amount),
        services.consumption_label(activity, child, day, "booked", 1),
        LedgerEntry.Source.CONSUMPTION,
        date=day,
        child=child,
        activity=activity,
        service_date=day,
    )


def _a_year_of_evenings(household, child, activity, cashier):
    with time_machine.travel(datetime.datetime(2026, 1, 2, 10), tick=False):
        services.record_cash_payment(household, "300", cashier, confirmed=True)
    day = datetime.date(2026, 1, 5)
    while day.year == 2026:
        if day.weekday() in (0, 1, 3):
            _consume(household, child, activity, day)
        day += datetime.timedelta(days=2 if day.weekday() == 1 else 1)


def _statement(client, toddler, cashier) -> bytes:
    user, household, child, evening = toddler
    _a_year_of_evenings(household, child, evening, cashier)
    with time_machine.travel("2026-12-01 10:00 +01:00", tick=False):
        client.force_login(user)
        response = client.get("/paiements/releve/imprimer/?year=2026&month=")
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _certificate(client, toddler, cashier) -> bytes:
    user, household, child, evening = toddler
    with time_machine.travel(datetime.datetime(2026, 1, 2, 10), tick=False):
        services.record_cash_payment(household, "50", cashier)
    _consume(household, child, evening, datetime.date(2026, 1, 6), "16.40")
    with time_machine.travel(datetime.datetime(2027, 2, 1, 12), tick=False):
        client.force_login(user)
        response = client.post("/paiements/attestation-fiscale/", {"year": 2026, "child": child.pk})
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _half_transparent_logo():
    image = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((5, 5, 55, 55), fill=(27, 94, 122, 160))
    out = io.BytesIO()
    image.save(out, "PNG")
    town = TownSettings.current()
    town.logo.save("logo-test.png", ContentFile(out.getvalue()))


def _receipt_and_journal(client, household, cashier) -> tuple[bytes, bytes, str]:
    _half_transparent_logo()  # flattened: no soft mask in the PDFs
    with time_machine.travel(MORNING, tick=False):
        receipt = services.record_cash_payment(household, "30", cashier, payer_name="Zoé Roy 🙂")
    client.force_login(cashier)
    content = client.get(f"/gestion/regie/recu/{receipt.pk}/").content
    journal = client.get("/gestion/regie/journal/pdf/?date=2027-01-12").content
    return content, journal, receipt.reference


@pytest.mark.django_db
def test_the_statement_is_pdfa_with_page_numbers_and_issue_date(client, toddler, cashier):
    reader = assert_pdfa(_statement(client, toddler, cashier), "Relevé de compte — année 2026")
    pages = len(reader.pages)
    assert pages >= 3
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        assert f"Édité le 1er décembre 2026 – page {number} sur {pages}" in text
    text = _text(reader)
    assert "Accueil soir — Hugo — lundi 5 janvier 2026" in text
    assert "Solde à la fin de la période" in text and "300,00 €" in text


@pytest.mark.django_db
def test_the_tax_certificate_is_pdfa(client, toddler, cashier):
    reader = assert_pdfa(_certificate(client, toddler, cashier), "Attestation fiscale 2026")
    text = _text(reader)
    assert "la somme de 16,40 €" in text and "Édité le 1er février 2027 – page 1 sur 1" in text


@pytest.mark.django_db
def test_the_cash_receipt_and_journal_are_pdfa_and_an_undrawable_character_is_replaced(
    client, parent, cashier
):
    receipt, journal, reference = _receipt_and_journal(client, parent[1], cashier)
    reader = assert_pdfa(receipt, f"Reçu de versement en espèces n° {reference}")
    (logo,) = reader.pages[0].images
    assert logo.image.mode == "RGB" and logo.image.getpixel((0, 0)) == (255, 255, 255)
    text = _text(reader)
    assert "Zoé Roy ?" in text  # no glyph in the fonts: « ? », not an invisible .notdef box
    assert "12 janvier 2027 à 10:05" in text and "30,00 €" in text
    reader = assert_pdfa(journal, "Journal de caisse du mardi 12 janvier 2027")
    assert "Zoé Roy ?" in _text(reader) and "Total encaissé" in _text(reader)


@pytest.mark.django_db
def test_verapdf_accepts_every_kind_as_pdfa_2u(client, toddler, cashier, tmp_path):
    command = os.environ.get("VERAPDF") or shutil.which("verapdf")
    if not command:
        pytest.skip("veraPDF is not installed (VERAPDF=/path/to/verapdf to run it)")
    receipt, journal, _reference = _receipt_and_journal(client, toddler[1], cashier)
    documents = {
        "statement": _statement(client, toddler, cashier),
        "certificate": _certificate(client, toddler, cashier),
        "receipt": receipt,
        "journal": journal,
    }
    for name, content in documents.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(content)
        result = subprocess.run(
            [command, "--flavour", "2u", "--format", "text", str(path)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.stdout.startswith("PASS"), name + result.stdout + result.stderr
