"""Start-up refusal of a payment backend that cannot authenticate the bank's answers."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from portail.billing import gateway

HINT = (
    "Use PAYMENT_BACKEND=payfip_ws for PayFiP (the portal asks DGFiP the payment's status), "
    "or a backend whose answers are signed (systempayv2, payzen, paybox); see docs/billing.md."
)


@checks.register("payments")
def payment_backend(app_configs=None, **kwargs):
    errors = [
        checks.Error(msg, hint=HINT, id="billing.E001") for msg in gateway.configuration_errors()
    ]
    simulator = settings.PAYMENT_BACKEND == gateway.SIMULATOR
    if simulator and settings.PAYMENT_SIMULATOR_ENABLED and not settings.DEBUG:
        errors.append(
            checks.Warning(
                "PAYMENT_SIMULATOR_ENABLED outside DEBUG: anyone can credit an account.",
                hint="Unset PAYMENT_SIMULATOR_ENABLED and configure a bank.",
                id="billing.W001",
            )
        )
    return errors


def refuse_unusable_backend() -> None:
    """Called by the WSGI entry point: gunicorn does not run the system checks."""
    errors = [e for e in payment_backend() if e.is_serious()]
    if errors:
        raise ImproperlyConfigured(" ".join(f"{e.msg} {e.hint}" for e in errors))
