"""What the API reads and writes. Money is a string with two decimals, never a number."""

import datetime
import re
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

MONEY_PATTERN = r"^-?\d+\.\d{2}$"
Money = Annotated[str, Field(pattern=MONEY_PATTERN, examples=["12.50"])]


def _plain_text(value: str) -> str:
    """No control character nor lone surrogate: nothing a database or a printout chokes on."""
    if any(ord(ch) < 32 or ord(ch) == 127 or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValueError(_("Control characters are not allowed."))
    return value.strip()


def Text(max_length: int):  # noqa: N802 (a type)
    return Annotated[
        str,
        Field(max_length=max_length, pattern=r"^[^\x00-\x1f\x7f]*$"),
        AfterValidator(_plain_text),
    ]


def _iso_day(value):
    """Only YYYY-MM-DD: pydantic would also take a number of seconds since 1970."""
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(_("Enter a date as YYYY-MM-DD."))
    return value


Day = Annotated[datetime.date, BeforeValidator(_iso_day)]


class Input(BaseModel):
    """A JSON object with only the documented fields (a typo is refused, not ignored)."""

    model_config = ConfigDict(extra="forbid")


def money(value) -> str:
    return f"{value:.2f}"


class Error(Schema):
    detail: str = Field(description="Message en français.")
    errors: list[dict[str, str]] | None = Field(
        None, description="Champ par champ\u00a0: `field` et `message` (données refusées)."
    )


class Page(Schema):
    count: int = Field(description="Nombre total de résultats.")
    limit: int
    offset: int


# --- headcounts and bookings ---


class HeadcountOut(Schema):
    date: datetime.date
    school_id: int
    school: str
    activity_id: int
    activity: str
    kind: str
    booked: int = Field(description="Enfants réservés (réservations non annulées).")
    capacity: int | None = Field(description="Capacité de l'activité\u00a0; null si illimitée.")


class HeadcountPage(Page):
    items: list[HeadcountOut]


class BookingOut(Schema):
    id: int
    date: datetime.date
    child_id: int
    child_first_name: str
    child_last_name: str
    household_id: int
    school_id: int
    activity_id: int
    activity: str
    kind: str


class BookingPage(Page):
    items: list[BookingOut]


# --- families ---


class SchoolRef(Schema):
    id: int
    name: str


class ChildOut(Schema):
    id: int
    household_id: int
    first_name: str
    last_name: str
    birth_date: datetime.date
    school: SchoolRef | None
    level: str = Field(description="PS, MS, GS, CP, CE1, CE2, CM1, CM2 ou vide.")
    no_pork: bool
    gluten_free: bool
    allergies: str
    has_pai: bool


class ChildPage(Page):
    items: list[ChildOut]


class AdultOut(Schema):
    id: int
    first_name: str
    last_name: str
    relationship: str
    email: str
    phone: str
    has_account: bool


class ContactOut(Schema):
    id: int
    kind: str = Field(description="phone ou email.")
    value: str
    label: str


class HouseholdOut(Schema):
    id: int
    name: str
    address_line1: str
    address_line2: str
    postcode: str
    city: str
    family_quotient: int | None
    adults: list[AdultOut]
    contacts: list[ContactOut]
    children: list[ChildOut]


class HouseholdPage(Page):
    items: list[HouseholdOut]


class HouseholdPatch(Input):
    """Only the fields given are changed."""

    address_line1: Text(255) | None = None
    address_line2: Text(255) | None = None
    postcode: Annotated[str, Field(pattern=r"^[0-9A-Za-z -]{0,10}$")] | None = None
    city: Text(100) | None = None


class ContactIn(Input):
    kind: str = Field(pattern=r"^(phone|email)$", description="phone ou email.")
    value: Text(254) = Field(min_length=1)
    label: Text(60) = ""


class ChildPatch(Input):
    """Only the fields given are changed; `school_id` null removes the school."""

    school_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    level: Annotated[str, Field(pattern=r"^(PS|MS|GS|CP|CE1|CE2|CM1|CM2)?$")] | None = None


# --- ledger ---


class LedgerEntryOut(Schema):
    id: int
    household_id: int
    date: datetime.date
    recorded_at: datetime.datetime
    amount: Money = Field(description="Crédit positif, débit négatif, en euros.")
    label: str
    source: str = Field(description="card, cash, refund, consumption ou reversal.")
    reverses_id: int | None


class LedgerEntryPage(Page):
    items: list[LedgerEntryOut]


class BalanceOut(Schema):
    household_id: int
    household: str
    opening: Money = Field(description="Solde la veille de `date_from`.")
    credits: Money
    debits: Money = Field(description="Négatif ou 0.00.")
    closing: Money = Field(description="Solde le soir de `date_to`.")


class BalancePage(Page):
    items: list[BalanceOut]
