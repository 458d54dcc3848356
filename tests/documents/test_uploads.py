"""The file checks: every real sample accepted, every bad upload refused with its own message
and nothing stored."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portail.documents.forms import UploadForm
from portail.documents.models import SupportingDocument
from portail.documents.uploads import SizeCapUploadHandler
from tests.conftest import UPLOADS
from tests.documents.conftest import stored_files
from tests.documents.factories import DocumentTypeFactory

MAX = 2 * 1024 * 1024


def windows_exe() -> bytes:
    """A minimal MZ/PE header: DOS stub pointing at a PE signature and a COFF header."""
    dos = bytearray(b"MZ" + b"\0" * 62)
    dos[0x3C:0x40] = struct.pack("<I", 0x40)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x0102)
    optional = struct.pack("<H", 0x10B) + b"\0" * 0xDE
    return bytes(dos) + b"PE\0\0" + coff + optional + b"\0" * 512


def odt_bomb() -> bytes:
    """A real-looking .odt (mimetype first) whose content.xml inflates to 120 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        chunk = b" " * (1024 * 1024)
        info = zipfile.ZipInfo("content.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(120):
                member.write(chunk)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (UPLOADS / "attestation-domicile.pdf").read_bytes()


BAD_UPLOADS = [
    # (id, file name, content, the start of the French message)
    ("exe-named-pdf", "attestation.pdf", windows_exe, "Le contenu du fichier ne correspond pas"),
    ("too-big", "scan.pdf", lambda: b"%PDF-1.4\n" + b"0" * (MAX + 1 - 9), "Le fichier dépasse"),
    ("empty", "vide.pdf", lambda: b"", "Le fichier est vide"),
    ("txt", "notes.txt", lambda: b"Bonjour\n", "Ce format n'est pas accepté"),
    ("png-really-pdf", "photo.png", pdf_bytes, "Le contenu du fichier ne correspond pas"),
    (
        "path-and-unicode",
        "..\\..\\Bureau\\pièce été\u202e.pdf",
        pdf_bytes,
        "Le nom du fichier contient un chemin",
    ),
    ("odt-bomb", "bombe.odt", odt_bomb, "Ce document .odt est anormal"),
    (
        "unreadable-odt",
        "abime.odt",
        lambda: (UPLOADS / "attestation-domicile.odt").read_bytes()[:3000],
        "Le fichier n'a pas pu être lu",
    ),
]


@pytest.mark.parametrize("ext", ["pdf", "odt", "doc", "jpg", "png"])
def test_every_real_sample_is_accepted(ext):
    path = UPLOADS / f"attestation-domicile.{ext}"
    form = UploadForm(files={"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert form.is_valid(), form.errors


def test_jpeg_extension_and_unicode_name_accepted():
    data = (UPLOADS / "attestation-domicile.jpg").read_bytes()
    form = UploadForm(files={"file": SimpleUploadedFile("Relevé d'été.JPEG", data)})
    assert form.is_valid(), form.errors


def test_the_bomb_is_small_but_inflates_beyond_100_mb():
    data = odt_bomb()
    assert len(data) < 200_000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 100 * 1024 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [row[1:] for row in BAD_UPLOADS],
    ids=[r[0] for r in BAD_UPLOADS],
)
def test_bad_upload_refused_with_its_message_and_nothing_stored(
    client, parent, media_root, name, content, message
):
    user, household, _child = parent
    document_type = DocumentTypeFactory()
    upload = SimpleUploadedFile("x", content())
    upload.name = name  # keeps the raw name (a browser's multipart sanitiser would strip paths)
    form = UploadForm(files={"file": upload})
    assert not form.is_valid()
    assert form.errors["file"][0].startswith(message), form.errors
    if "\\" in name:
        return  # a real request never carries a path: Django keeps only the last part
    client.force_login(user)
    response = client.post(
        f"/justificatifs/fournir/{document_type.pk}/household/",
        {"file": SimpleUploadedFile(name, content())},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert 'id="id_file_error"' in html  # beside the field
    assert SupportingDocument.objects.count() == 0
    assert stored_files(media_root) == []


def test_size_cap_handler_keeps_at_most_the_limit_plus_one_byte(settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 10
    handler = SizeCapUploadHandler()
    handler.new_file("file", "a.pdf", "application/pdf", 100)
    kept = [handler.receive_data_chunk(b"x" * 8, 0), handler.receive_data_chunk(b"y" * 8, 8)]
    assert kept == [b"x" * 8, b"yyy"]
    assert handler.receive_data_chunk(b"z" * 8, 16) is None


@pytest.mark.django_db
def test_an_oversized_upload_is_cut_before_the_checks(client, parent, media_root):
    from unittest import mock

    from portail.documents import forms

    user, household, _child = parent
    document_type = DocumentTypeFactory()
    client.force_login(user)
    seen = []
    real = forms.check_upload
    with mock.patch.object(forms, "check_upload", lambda f: (seen.append(f.size), real(f))[1]):
        response = client.post(
            f"/justificatifs/fournir/{document_type.pk}/household/",
            {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (5 * MAX))},
        )
    assert "Le fichier dépasse 2 Mo" in response.content.decode()
    assert seen == [MAX + 1]  # the rest of the 10 MB never reached memory or disk
    assert stored_files(media_root) == []
