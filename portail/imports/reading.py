"""Reading a spreadsheet into rows: the format (CSV, XLSX, ODS) from the file's first bytes, a
CSV's encoding and delimiter detected. The readers are django-import-export's formats (tablib,
openpyxl, odfpy); only the detection is ours."""

import codecs
import csv
import datetime
import zipfile
from io import BytesIO

from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, ODS, XLSX

DELIMITERS = ";,\t|"
DELIMITER_NAMES = {
    ";": "«\u00a0;\u00a0»",
    ",": "«\u00a0,\u00a0»",
    "\t": "tabulation",
    "|": "«\u00a0|\u00a0»",
}


class UnreadableFile(ValueError):
    """A file that is not a spreadsheet we can read, with a message for the agent."""


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-16 or UTF-8 (with or without BOM), else the
    Windows-1252 of older French software (Latin-1 for the few bytes it leaves undefined)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "ISO-8859-1"


def sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(text[:20000], delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One-column files, or too irregular for the sniffer: the most frequent in the header.
        return max(DELIMITERS, key=header.count)


def _zip_kind(raw: bytes) -> str | None:
    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace")
                if "opendocument.spreadsheet" in mimetype:
                    return "ods"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except zipfile.BadZipFile:
        return None
    return None


def load(raw: bytes) -> tuple[list[str], list[list], str]:
    """Headers, rows (lists of cells: str, or date/number from a spreadsheet) and what was
    detected, e.g. « CSV, Windows-1252, séparateur « ; » »."""
    if not raw.strip():
        raise UnreadableFile(_("The file is empty."))
    try:
        if raw.startswith(b"PK"):
            kind = _zip_kind(raw)
            if kind == "xlsx":
                dataset, detected = XLSX().create_dataset(raw), "XLSX"
            elif kind == "ods":
                dataset, detected = ODS().create_dataset(raw), "ODS"
            else:
                raise UnreadableFile(_("This archive is neither an XLSX nor an ODS spreadsheet."))
        else:
            text, encoding = decode(raw)
            if "\x00" in text:
                raise UnreadableFile(_("This file is not a spreadsheet (CSV, XLSX or ODS)."))
            delimiter = sniff_delimiter(text)
            dataset = CSV().create_dataset(text, delimiter=delimiter)
            detected = _("CSV, %(encoding)s, delimiter %(delimiter)s") % {
                "encoding": encoding,
                "delimiter": DELIMITER_NAMES[delimiter],
            }
    except UnreadableFile:
        raise
    except Exception as exc:  # the readers raise many kinds on a broken file
        raise UnreadableFile(
            _("The file could not be read as a spreadsheet (CSV, XLSX or ODS).")
        ) from exc
    headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
    rows = [list(row) for row in dataset]
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    return headers, rows, detected


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()
