"""The one place that talks to eopayment.

`PAYMENT_BACKEND` names an eopayment backend with its `PAYMENT_OPTIONS`; "simulator" uses
eopayment's dummy backend to parse answers, but sends the parent to our own simulator page
instead of the online demo site, so everything runs offline.

A bank answer moves money only when it is authenticated. `BACKENDS` says how, per backend: a
signature eopayment verifies with a key the bank holds, or a server-to-server status query to
the bank (the notification is then only a trigger: what it says is ignored). A backend that can
do neither (tipi: eopayment marks every Tipi answer as signed) or that the portal has not
vetted is refused at start-up (`billing.checks`) and by `start_topup`.
"""

import dataclasses
from decimal import Decimal, InvalidOperation

import eopayment
from django.conf import settings
from django.urls import reverse

from portail.billing.models import Payment

SIMULATOR = "simulator"
SIGNATURE = "signature"
STATUS_QUERY = "status query"
DEVELOPMENT = "development only"


@dataclasses.dataclass(frozen=True)
class Backend:
    auth: str  # SIGNATURE, STATUS_QUERY or DEVELOPMENT
    how: str  # what authenticates an answer (docs/billing.md shows the same table)
    amount_field: str  # where the answer states the amount, in cents
    test_mode: tuple  # (option, default, value meaning test): test answers only in test mode
    required: tuple = ()  # options without which nothing can be authenticated


BACKENDS = {
    "payfip_ws": Backend(
        STATUS_QUERY,
        "every notification or return triggers a SOAP query `recupererDetailPaiementSecurise` "
        "to DGFiP (HTTPS, certificate checked) about the payment's own idop",
        "montant",
        ("saisie", "T", "T"),
        ("numcli",),
    ),
    "systempayv2": Backend(
        SIGNATURE,
        "`signature` over every `vads_*` field with the shop's certificate of the configured "
        "mode (HMAC-SHA-256 with `signature_algo: hmac_sha256`, else SHA-1 of fields + "
        "certificate)",
        "vads_amount",
        ("vads_ctx_mode", "TEST", "TEST"),
        ("vads_site_id",),
    ),
    "payzen": Backend(
        SIGNATURE,
        "as systempayv2 (same protocol, PayZen's platform)",
        "vads_amount",
        ("vads_ctx_mode", "TEST", "TEST"),
        ("vads_site_id",),
    ),
    "paybox": Backend(
        SIGNATURE,
        "RSA-SHA1 `signature` (PBX_RETOUR `K`) verified with Paybox's public key, built into "
        "eopayment",
        "montant",
        ("platform", "test", "test"),
        ("site", "rang", "identifiant", "shared_secret"),
    ),
    SIMULATOR: Backend(
        DEVELOPMENT,
        "none: anyone can forge its answers; only with PAYMENT_SIMULATOR_ENABLED",
        "amount",
        ("", "", ""),
    ),
}

# Backends refused, with the reason shown by `manage.py check`.
REFUSED = {
    "tipi": "its answers carry no signature (eopayment marks every Tipi answer as signed) and "
    "it cannot be asked the payment's status",
    "dummy": "it credits whatever it is told",
}


@dataclasses.dataclass
class Order:
    transaction_id: str
    kind: int  # eopayment.URL, FORM or HTML
    data: object  # a URL, an eopayment Form, or HTML


def configuration_errors() -> list[str]:
    """Why the configured backend cannot be used to credit accounts (empty when it can)."""
    name = settings.PAYMENT_BACKEND
    if name in REFUSED:
        return [f"PAYMENT_BACKEND={name} is refused: {REFUSED[name]}."]
    backend = BACKENDS.get(name)
    if backend is None:
        known = ", ".join(sorted(set(BACKENDS) - {SIMULATOR}))
        return [f"PAYMENT_BACKEND={name} is not supported by the portal (supported: {known})."]
    missing = [key for key in backend.required if not settings.PAYMENT_OPTIONS.get(key)]
    if name in ("systempayv2", "payzen"):
        mode = _mode_value(backend).lower()
        missing += [] if settings.PAYMENT_OPTIONS.get(f"secret_{mode}") else [f"secret_{mode}"]
    if missing:
        return [f"PAYMENT_OPTIONS lacks {', '.join(missing)} for PAYMENT_BACKEND={name}."]
    return []


def simulator_refused() -> bool:
    """The simulator is the backend but not allowed here (production with no bank set up)."""
    return settings.PAYMENT_BACKEND == SIMULATOR and not settings.PAYMENT_SIMULATOR_ENABLED


def usable() -> bool:
    return not configuration_errors() and not simulator_refused()


def backend_kind() -> str:
    kind = settings.PAYMENT_BACKEND
    return "dummy" if kind == SIMULATOR else kind


def _mode_value(backend: Backend) -> str:
    option, default, _test = backend.test_mode
    return str(settings.PAYMENT_OPTIONS.get(option) or default) if option else ""


def in_test_mode() -> bool:
    spec = BACKENDS.get(settings.PAYMENT_BACKEND)
    return bool(spec and spec.test_mode[0] and _mode_value(spec) == spec.test_mode[2])


def _backend(payment=None, build_url=None) -> eopayment.Payment:
    options = dict(settings.PAYMENT_OPTIONS)
    if payment is not None and build_url is not None:
        # Each payment carries its own UUID in its return and notification URLs.
        options["normal_return_url"] = build_url("billing:return", payment)
        options["automatic_return_url"] = build_url("billing:notification", payment)
    if settings.PAYMENT_BACKEND == SIMULATOR:
        options.setdefault("origin", "portail")
    return eopayment.Payment(backend_kind(), options)


def refdet(payment) -> str:
    """PayFiP's reference of our payment (alphanumeric, 30 characters at most)."""
    return payment.pk.hex[:30].upper()


def request(payment, build_url) -> Order:
    backend = _backend(payment, build_url)
    kwargs = {"email": payment.email or settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">")}
    if backend_kind() == "payfip_ws":
        kwargs["refdet"] = refdet(payment)
    else:
        kwargs["orderid"] = payment.pk.hex
    # eopayment wants Decimal amounts, never float.
    transaction_id, kind, data = backend.request(Decimal(payment.amount), **kwargs)
    if settings.PAYMENT_BACKEND == SIMULATOR:
        kind, data = eopayment.URL, reverse("billing:simulator", args=[payment.pk])
    return Order(str(transaction_id), kind, data)


def answer(payment, raw: str):
    """The bank's answer about this payment, as eopayment reads it. For a status-query backend
    what was sent is ignored: the bank is asked about our own transaction id."""
    spec = BACKENDS.get(settings.PAYMENT_BACKEND)
    if spec is not None and spec.auth == STATUS_QUERY:
        return status(payment)
    return _backend().response(raw)


def status(payment):
    """Ask the bank about the payment, when the backend can say (else None)."""
    spec = BACKENDS.get(settings.PAYMENT_BACKEND)
    if spec is None or spec.auth != STATUS_QUERY or not payment.transaction_id:
        return None
    if payment.backend != settings.PAYMENT_BACKEND:
        return None  # started with another bank: this one does not know it
    # PayFiP's "in progress" means "abandoned" some time after the payment was created.
    return _backend().payment_status(payment.transaction_id, transaction_date=payment.created_at)


def status_of(response) -> str:
    if response.result in (eopayment.PAID, eopayment.ACCEPTED):
        return Payment.Status.PAID
    if response.result in (eopayment.CANCELLED, eopayment.EXPIRED):
        return Payment.Status.CANCELLED
    if response.result in (eopayment.WAITING, eopayment.RECEIVED):
        return Payment.Status.PENDING
    return Payment.Status.REFUSED  # DENIED, ERROR or unknown: not paid


def result_name(result) -> str:
    return eopayment.STATUS_NAME.get(result, str(result))


def _first(value):
    return value[0] if isinstance(value, list | tuple) else value


def _references(payment, response) -> list[tuple[str, str]]:
    """(what the answer says, what we expect) pairs naming our transaction."""
    name = settings.PAYMENT_BACKEND
    data = response.bank_data or {}
    if name == "payfip_ws":
        return [
            (str(response.order_id or ""), payment.transaction_id or ""),
            (str(_first(data.get("refdet")) or ""), refdet(payment)),
        ]
    pairs = [(str(response.transaction_id or response.order_id or ""), payment.transaction_id)]
    if name in ("systempayv2", "payzen"):
        site = str(settings.PAYMENT_OPTIONS.get("vads_site_id", ""))
        pairs += [(str(data.get("vads_order_id", "")), payment.pk.hex)]
        pairs += [(str(data.get("vads_site_id", "")), site)]
    return pairs


def mismatch(payment, response) -> str | None:
    """Why this answer must not change the payment, or None. The answer must come from the
    configured, authenticated backend, be authenticated, name our transaction, state our
    amount, and be a production answer unless the backend is configured in test mode."""
    name = settings.PAYMENT_BACKEND
    spec = BACKENDS.get(name)
    if spec is None or configuration_errors() or simulator_refused():
        return f"backend {name!r} cannot authenticate answers"
    if payment.backend != name:
        return f"payment started with {payment.backend!r}, backend is now {name!r}"
    if not response.signed:
        return "unsigned"
    paid = status_of(response) == "paid"
    for said, ours in _references(payment, response):
        # A status query's "expired" names no reference; money moves only on a full answer.
        if not ours or (said != ours and (said or paid)):
            return f"reference {said!r} is not {ours!r}"
    if response.test and not in_test_mode() and spec.auth != DEVELOPMENT:
        return "test-mode answer to a production shop"
    data = response.bank_data or {}
    stated = _first(data.get(spec.amount_field))
    if stated in (None, "") and paid:
        return "no amount"
    if stated not in (None, ""):
        try:
            amount = Decimal(str(stated)) / (1 if spec.auth == DEVELOPMENT else 100)
        except InvalidOperation:
            return f"unreadable amount {stated!r}"
        if amount.quantize(Decimal("0.01")) != payment.amount:
            return f"amount {amount} is not {payment.amount}"
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
