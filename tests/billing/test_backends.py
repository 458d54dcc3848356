"""Bank answers are credited only when authenticated (issue 12 item 1): the attacks of a parent
who forges the bank's answer, for each backend, with answers built like the real bank's."""

from decimal import Decimal

import pytest
from django.core import checks

from portail.billing import selectors, services
from portail.billing.models import BankResponse, Payment


def build_url(name, payment):
    return f"https://portail.test/{name}/{payment.pk}/"


@pytest.mark.django_db
def test_tipi_forged_notification_credits_nothing(client, parent, settings):
    """The attack: PAYMENT_BACKEND=tipi, a 250 € top-up never paid, the notification URL called
    with the refdet and montant of the redirect and resultrans=P."""
    _user, household, _child = parent
    settings.PAYMENT_BACKEND = "tipi"
    settings.PAYMENT_OPTIONS = {"numcli": "123456", "saisie": "W"}
    # Refused before any money can move: at start-up (system check) and at top-up.
    errors = [e for e in checks.run_checks() if e.id == "billing.E001"]
    assert errors and "payfip_ws" in errors[0].msg + errors[0].hint
    with pytest.raises(services.BillingError):
        services.start_topup(household, "250", None, build_url)
    # A payment left pending by the former configuration, forged answer delivered anyway.
    payment = Payment.objects.create(
        household=household, amount=Decimal("250.00"), backend="tipi", transaction_id="REF250"
    )
    forged = "refdet=REF250&montant=25000&resultrans=P"
    response = client.post(
        f"/paiements/notification/{payment.pk}/",
        forged,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500
    client.get(f"/paiements/retour/{payment.pk}/?{forged}")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert selectors.balance_of(household) == Decimal("0.00")
    kept = BankResponse.objects.filter(payment=payment)
    assert kept.count() == 2 and not kept.filter(accepted=True).exists()
