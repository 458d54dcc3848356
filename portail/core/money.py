"""The portal's one money type: Decimal euros with 2 places. Never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NNBSP = "\u202f"  # French thousands separator


def to_money(value) -> Decimal:
    """Parse a value (str, int, Decimal) into euros with two places; floats are refused."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        amount = (
            Decimal(str(value).replace(",", ".").strip())
            if isinstance(value, str)
            else Decimal(value)
        )
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(amount) -> str:
    """French display: 1 234,50 € (narrow no-break space for thousands)."""
    amount = to_money(amount)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NNBSP.join(groups)},{cents}\u00a0€"


class MoneyField(models.DecimalField):
    """A DecimalField of euros: 10 digits, 2 places."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
