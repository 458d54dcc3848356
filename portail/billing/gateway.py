"""The one place that talks to eopayment.

`PAYMENT_BACKEND` names an eopayment backend (tipi, payfip_ws, systempayv2, paybox, ...) with
its `PAYMENT_OPTIONS`; "simulator" uses eopayment's dummy backend to parse answers, but sends the
parent to our own simulator page instead of the online demo site, so everything runs offline.
"""

import dataclasses
from decimal import Decimal, InvalidOperation

import eopayment
from django.conf import settings
from django.urls import reverse

SIMULATOR = "simulator"


@dataclasses.dataclass
class Order:
    transaction_id: str
    kind: int  # eopayment.URL, FORM or HTML
    data: object  # a URL, an eopayment Form, or HTML


def simulator_refused() -> bool:
    """The simulator is the backend but not allowed here (production with no bank set up)."""
    return settings.PAYMENT_BACKEND == SIMULATOR and not settings.PAYMENT_SIMULATOR_ENABLED


def backend_kind() -> str:
    kind = settings.PAYMENT_BACKEND
    return "dummy" if kind == SIMULATOR else kind


def _backend(payment=None, build_url=None) -> eopayment.Payment:
    options = dict(settings.PAYMENT_OPTIONS)
    if payment is not None and build_url is not None:
        # Each payment carries its own UUID in its return and notification URLs.
        options["normal_return_url"] = build_url("billing:return", payment)
        options["automatic_return_url"] = build_url("billing:notification", payment)
    if settings.PAYMENT_BACKEND == SIMULATOR:
        options.setdefault("origin", "portail")
    return eopayment.Payment(backend_kind(), options)


def request(payment, build_url) -> Order:
    backend = _backend(payment, build_url)
    kwargs = {"email": payment.email or settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">")}
    if backend_kind() in ("tipi", "payfip_ws"):
        kwargs["refdet"] = payment.pk.hex[:30].upper()
    else:
        kwargs["orderid"] = payment.pk.hex
    # eopayment wants Decimal amounts, never float.
    transaction_id, kind, data = backend.request(Decimal(payment.amount), **kwargs)
    if settings.PAYMENT_BACKEND == SIMULATOR:
        kind, data = eopayment.URL, reverse("billing:simulator", args=[payment.pk])
    return Order(str(transaction_id), kind, data)


def parse(raw: str):
    return _backend().response(raw)


def status(payment):
    backend = _backend()
    if not backend.has_payment_status or settings.PAYMENT_BACKEND == SIMULATOR:
        return None
    try:
        return backend.payment_status(payment.transaction_id)
    except NotImplementedError:
        return None


def status_of(response) -> str:
    from portail.billing.models import Payment

    if response.result in (eopayment.PAID, eopayment.ACCEPTED):
        return Payment.Status.PAID
    if response.result in (eopayment.CANCELLED, eopayment.EXPIRED):
        return Payment.Status.CANCELLED
    if response.result in (eopayment.WAITING, eopayment.RECEIVED):
        return Payment.Status.PENDING
    return Payment.Status.REFUSED  # DENIED, ERROR or unknown: not paid


def result_name(result) -> str:
    return eopayment.STATUS_NAME.get(result, str(result))


# Where each backend puts the amount, in cents or in euros.
_AMOUNT_FIELDS = [("montant", 100), ("vads_amount", 100), ("montant_tx", 100), ("amount", 1)]


def _first(value):
    return value[0] if isinstance(value, list | tuple) else value


def mismatch(payment, response) -> str | None:
    """Why this answer must not change the payment, or None. The answer must be signed and
    about our transaction, and, when it states an amount, the same amount (a Tipi callback is
    not signed by the bank: the reference and amount are checked against our own record)."""
    if simulator_refused():
        return "simulator disabled"
    if not response.signed:
        return "unsigned"
    reference = str(response.transaction_id or response.order_id or "")
    if reference and payment.transaction_id and reference != payment.transaction_id:
        return f"reference {reference!r} is not {payment.transaction_id!r}"
    data = response.bank_data or {}
    for field, divisor in _AMOUNT_FIELDS:
        if field in data and _first(data[field]) not in (None, ""):
            try:
                amount = Decimal(str(_first(data[field]))) / divisor
            except InvalidOperation:
                return f"unreadable amount {data[field]!r}"
            if amount.quantize(Decimal("0.01")) != payment.amount:
                return f"amount {amount} is not {payment.amount}"
            break
    return None


def jsonable(data) -> dict:
    out = {}
    for key, value in (data or {}).items():
        if isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif not isinstance(value, int | float | bool | type(None)):
            value = str(value)
        out[str(key)] = value
    return out
