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


@checks.register("payments", deploy=True)
def payment_backend_in_test_mode(app_configs=None, **kwargs):
    """`check --deploy`: a bank in test mode collects no real money (and accepts test cards)."""
    name = settings.PAYMENT_BACKEND
    spec = gateway.BACKENDS.get(name)
    if spec is None or spec.auth == gateway.DEVELOPMENT or not gateway.in_test_mode():
        return []
    option, _default, test_value = spec.test_mode
    return [
        checks.Warning(
            f"PAYMENT_BACKEND={name} is in test mode ({option}={test_value}): no real money is "
            "collected and test cards credit accounts.",
            hint=f"Set {option} to the production value in PAYMENT_OPTIONS.",
            id="billing.W002",
        )
    ]


def refuse_unusable_backend() -> None:
    """Called by the WSGI entry point: gunicorn does not run the system checks."""
    errors = [e for e in payment_backend() if e.is_serious()]
    if errors:
        raise ImproperlyConfigured(" ".join(f"{e.msg} {e.hint}" for e in errors))
