"""Checks of an uploaded file: format, size, content sniffed by libmagic, .odt zip size.

Each refusal raises a ValidationError with its own French message and code.
"""

import unicodedata
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Extension -> content types libmagic reports for it.
ACCEPTED = {
    "doc": {"application/msword", "application/vnd.ms-office"},
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "odt": {"application/vnd.oasis.opendocument.text"},
}
EXTENSIONS = ", ".join(f".{ext}" for ext in ACCEPTED)

MESSAGES = {
    "empty": _("The file is empty."),
    "too_big": _(
        "The file is larger than %(max)s. Reduce the resolution of the image before scanning it."
    ),
    "format": _("This format is not accepted. Provide a %(extensions)s file."),
    "mismatch": _(
        "The content of the file does not match its .%(ext)s extension. Provide a genuine "
        "%(extensions)s file."
    ),
    "name": _(
        "The file name contains a path or characters that are not allowed. Rename the file "
        "(letters, digits, dashes) and try again."
    ),
    "odt_bomb": _(
        "This .odt document is abnormal (far too large once uncompressed). Save it again or "
        "provide it as a PDF."
    ),
    "unreadable": _(
        "The file could not be read: it may be damaged. Save it again and try once more."
    ),
}


def human_size(size: int) -> str:
    """2097152 -> « 2 Mo »: the units parents know (not « Mio »)."""
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), gettext("MB")
    elif size >= 1024:
        value, unit = size / 1024, gettext("KB")
    else:
        return f"{size} {gettext('bytes')}"
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} {unit}"


def max_bytes() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_BYTES


def refuse(code: str, **params):
    raise ValidationError(MESSAGES[code], code=code, params=params)


@dataclass
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int


# Control, format (e.g. the right-to-left override that disguises "fdp.exe"), surrogate,
# private, unassigned characters and line/paragraph separators.
FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def clean_name(name: str) -> str:
    """The display name of an upload, or a refusal if it carries a path or control chars."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if (
        not name
        or "/" in name
        or "\\" in name
        or name in (".", "..")
        or any(unicodedata.category(c) in FORBIDDEN_CATEGORIES for c in name)
    ):
        refuse("name")
    return name[-150:]


def check_upload(upload) -> CheckedFile:
    """Check an UploadedFile before anything is stored; returns what was judged."""
    name = clean_name(upload.name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        refuse("format", extensions=EXTENSIONS)
    size = upload.size
    if size is None or size == 0:
        refuse("empty")
    if size > max_bytes():
        refuse("too_big", max=human_size(max_bytes()))
    try:
        upload.seek(0)
        data = upload.read(max_bytes() + 1)
        upload.seek(0)
    except (OSError, ValueError):
        refuse("unreadable")
    if not data:
        refuse("empty")
    if len(data) > max_bytes():
        refuse("too_big", max=human_size(max_bytes()))
    try:
        # The whole file: a .doc judged on its first bytes only looks generic.
        content_type = magic.from_buffer(data, mime=True)
    except Exception:  # libmagic errors are not typed; any of them means "cannot read"
        refuse("unreadable")
    if content_type not in ACCEPTED[extension]:
        refuse("mismatch", ext=extension, extensions=EXTENSIONS)
    if extension == "odt":
        check_zip(upload)
    return CheckedFile(name=name, extension=extension, content_type=content_type, size=len(data))


def check_zip(upload) -> None:
    """Refuse an .odt whose members inflate beyond the limit (zip bomb), reading at most the
    limit: the sizes in the zip's headers may lie."""
    limit = settings.DOCUMENTS_ODT_MAX_UNCOMPRESSED_BYTES
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > 1000 or sum(m.file_size for m in members) > limit:
                refuse("odt_bomb")
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(65536):
                        total += len(chunk)
                        if total > limit:
                            refuse("odt_bomb")
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError):
        refuse("unreadable")
    except NotImplementedError:  # unknown compression method
        refuse("unreadable")
    finally:
        upload.seek(0)


class SizeCapUploadHandler(FileUploadHandler):
    """First upload handler of the upload views: passes on at most the limit + 1 byte of each
    file, so an oversized upload is refused without being written out in full."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data, start):
        room = max_bytes() + 1 - self.kept
        if room <= 0:
            return None
        chunk = raw_data[:room]
        self.kept += len(chunk)
        return chunk

    def file_complete(self, file_size):
        return None
