"""Files for spreadsheets: CSV (French settings: `;`-separated, UTF-8 with a BOM, decimal comma,
no formula injection) and OpenDocument (.ods, through tablib: text cells are never formulas,
numbers stay numbers)."""

import csv

import tablib
from django.http import HttpResponse

from portail.core.money import to_money


def csv_response(filename: str):
    """An attachment response and a csv writer on it: (response, writer)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    return response, csv.writer(response, delimiter=";")


def cell(value) -> str:
    """Text a spreadsheet will not run as a formula."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def amount(value) -> str:
    """12,50 (a number for a French spreadsheet, not a text)."""
    return str(to_money(value)).replace(".", ",")


ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def ods_response(filename: str, headers, rows):
    """An .ods attachment of one sheet: `headers` then `rows` (text, numbers or None)."""
    data = tablib.Dataset(headers=[str(h) for h in headers])
    for row in rows:
        data.append(["" if v is None else v if isinstance(v, int | float) else str(v) for v in row])
    response = HttpResponse(data.export("ods"), content_type=ODS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
