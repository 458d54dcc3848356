"""What each kind of file may contain: our fields, how a cell becomes a value, and why a cell is
refused (in French, through the catalogue)."""

import dataclasses
import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.families.models import Adult, Child
from portail.imports.reading import cell_text

TRUE = {"1", "oui", "o", "x", "vrai", "true", "yes", "y"}
FALSE = {"", "0", "non", "n", "faux", "false", "no"}


class CellError(ValueError):
    pass


def text(max_length):
    def parse(value, _options):
        value = cell_text(value)
        if len(value) > max_length:
            raise CellError(_("more than %(n)s characters") % {"n": max_length})
        return value

    return parse


def parse_date(value, options):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    value = cell_text(value)
    for fmt in (options.get("date_format") or "%d/%m/%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CellError(_("« %(value)s » is not a date (expected e.g. 31/12/2026)") % {"value": value})


def parse_amount(value, _options):
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        raw = cell_text(value).replace("€", "").replace("\u00a0", "").replace(" ", "")
        raw = raw.replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise CellError(
                _("« %(value)s » is not an amount (expected e.g. 12,50)") % {"value": value}
            ) from None
    if not number.is_finite() or abs(number) >= Decimal("1000000"):
        raise CellError(
            _("« %(value)s » is not an amount (expected e.g. 12,50)") % {"value": value}
        )
    return number.quantize(Decimal("0.01"))


def parse_quotient(value, _options):
    raw = cell_text(value).replace(" ", "").replace("\u00a0", "")
    if not re.fullmatch(r"\d{1,6}", raw):
        raise CellError(
            _("« %(value)s » is not a family quotient (a whole number of euros)") % {"value": value}
        )
    return int(raw)


def parse_email(value, _options):
    value = cell_text(value).lower()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise CellError(
                _("« %(value)s » is not an e-mail address") % {"value": value}
            ) from None
    return value


def parse_bool(value, _options):
    raw = cell_text(value).lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise CellError(_("« %(value)s » is neither yes nor no") % {"value": value})


def choice(choices_class, aliases=None):
    known = {}
    for code, label in choices_class.choices:
        known[str(code).lower()] = code
        known[str(label).lower()] = code
    known.update(aliases or {})

    def parse(value, _options):
        raw = cell_text(value)
        if not raw:
            return ""
        try:
            return known[raw.lower()]
        except KeyError:
            raise CellError(_("« %(value)s » is not a known value") % {"value": raw}) from None

    return parse


RELATIONSHIPS = {
    "mère": "mother",
    "mere": "mother",
    "père": "father",
    "pere": "father",
    "tuteur": "guardian",
    "tutrice": "guardian",
    "responsable légal": "guardian",
}


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    label: str
    parse: Callable
    required: bool = False


def _adult(n):
    return [
        Field(f"adult{n}_last_name", gettext_lazy("adult %(n)s: surname") % {"n": n}, text(100)),
        Field(
            f"adult{n}_first_name", gettext_lazy("adult %(n)s: first name") % {"n": n}, text(100)
        ),
        Field(
            f"adult{n}_relationship",
            gettext_lazy("adult %(n)s: relationship") % {"n": n},
            choice(Adult.Relationship, RELATIONSHIPS),
        ),
        Field(f"adult{n}_email", gettext_lazy("adult %(n)s: e-mail") % {"n": n}, parse_email),
        Field(f"adult{n}_phone", gettext_lazy("adult %(n)s: phone") % {"n": n}, text(30)),
    ]


FIELDS = {
    "households": [
        Field(
            "household_id", gettext_lazy("household's id in the previous software"), text(100), True
        ),
        Field("name", gettext_lazy("household name"), text(150)),
        Field("address_line1", gettext_lazy("address"), text(255)),
        Field("address_line2", gettext_lazy("address (continued)"), text(255)),
        Field("postcode", gettext_lazy("postcode"), text(10)),
        Field("city", gettext_lazy("city"), text(100)),
        Field("family_quotient", gettext_lazy("family quotient"), parse_quotient),
        Field("balance", gettext_lazy("opening balance"), parse_amount),
        Field("balance_date", gettext_lazy("date of the opening balance"), parse_date),
        *_adult(1),
        *_adult(2),
    ],
    "children": [
        Field("child_id", gettext_lazy("child's id in the previous software"), text(100), True),
        Field(
            "household_id", gettext_lazy("household's id in the previous software"), text(100), True
        ),
        Field("last_name", gettext_lazy("surname"), text(100), True),
        Field("first_name", gettext_lazy("first name"), text(100), True),
        Field("birth_date", gettext_lazy("birth date"), parse_date, True),
        Field("school", gettext_lazy("school"), text(150)),
        Field("level", gettext_lazy("class level"), choice(Child.Level)),
        Field("has_pai", gettext_lazy("individual care plan (PAI)"), parse_bool),
        Field("allergies", gettext_lazy("allergies"), text(255)),
        Field("no_pork", gettext_lazy("no pork"), parse_bool),
        Field("gluten_free", gettext_lazy("gluten free"), parse_bool),
    ],
    "bookings": [
        Field("child_id", gettext_lazy("child's id in the previous software"), text(100), True),
        Field("date", gettext_lazy("date"), parse_date, True),
        Field("activity", gettext_lazy("activity"), text(100), True),
    ],
}


def field_names(kind: str) -> list[str]:
    return [f.name for f in FIELDS[kind]]


@dataclasses.dataclass
class Line:
    """One line of the file: its number as the agent sees it, its values and its errors."""

    number: int
    values: dict
    errors: list = dataclasses.field(default_factory=list)
    action: str = ""
    details: list = dataclasses.field(default_factory=list)

    def refuse(self, reason: str) -> None:
        self.errors.append(str(reason))

    def as_dict(self) -> dict:
        action = "refused" if self.errors else self.action
        key = self.values.get("household_id") if "child_id" not in self.values else None
        return {
            "line": self.number,
            "key": self.values.get("child_id") or key or "",
            "action": action,
            "details": [str(d) for d in self.details],
            "errors": self.errors,
        }


def missing_columns(kind: str, columns: dict, headers: list[str]) -> list[str]:
    """Columns the mapping names for required fields that the file lacks."""
    present = {h.strip().lower() for h in headers}
    missing = []
    for f in FIELDS[kind]:
        column = columns.get(f.name)
        if f.required and (not column or column.strip().lower() not in present):
            missing.append(f"{column or f.name} ({f.label})")
    return missing


def parse_rows(
    kind: str, columns: dict, options: dict, headers: list[str], rows, progress=None
) -> list[Line]:
    """Each row as a Line of cleaned values (only the mapped columns; an empty cell is « not
    given », so a file may update only some fields), with a French reason per bad cell.
    `progress(lines done)` is called every 2,000 lines."""
    index = {h.strip().lower(): i for i, h in enumerate(headers)}
    mapped = []
    for f in FIELDS[kind]:
        column = (columns.get(f.name) or "").strip().lower()
        if column in index:
            mapped.append((f, index[column]))
    lines = []
    for offset, row in enumerate(rows):
        if progress and offset and offset % 2000 == 0:
            progress(offset)
        line = Line(number=offset + 2, values={})  # line 1 holds the headers
        for f, i in mapped:
            raw = row[i] if i < len(row) else None
            if cell_text(raw) == "":
                if f.required:
                    line.refuse(_("%(field)s: missing value") % {"field": f.label})
                continue
            try:
                line.values[f.name] = f.parse(raw, options)
            except CellError as exc:
                line.refuse(_("%(field)s: %(reason)s") % {"field": f.label, "reason": exc})
        lines.append(line)
    return lines


def validate_mapping(value) -> dict:
    """A saved mapping {kind: {our field: its column}}; ValueError with the French reason."""
    if not isinstance(value, dict):
        raise ValueError(_("Expected an object of kinds of file."))
    for kind, columns in value.items():
        if kind not in FIELDS:
            raise ValueError(
                _("Unknown kind of file « %(kind)s » (expected: %(kinds)s).")
                % {"kind": kind, "kinds": ", ".join(FIELDS)}
            )
        if not isinstance(columns, dict):
            raise ValueError(_("Expected our field: its column."))
        known = {f.name for f in FIELDS[kind]}
        for field, column in columns.items():
            if field not in known:
                raise ValueError(
                    _("Unknown field « %(field)s » for « %(kind)s ».")
                    % {"field": field, "kind": kind}
                )
            if not isinstance(column, str) or not column.strip():
                raise ValueError(
                    _("The column of « %(field)s » must be a name.") % {"field": field}
                )
    return value


def validate_date_format(value: str) -> str:
    try:
        sample = datetime.date(2026, 12, 31).strftime(value)
        datetime.datetime.strptime(sample, value)
    except ValueError:
        raise ValueError(_("This date format is not usable.")) from None
    return value
