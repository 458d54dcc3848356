from decimal import Decimal

import pytest

from portail.billing import selectors, services
from portail.billing.models import BankResponse, LedgerEntry, Payment


def start(client, amount="25,50"):
    response = client.post("/paiements/recharger/", {"amount": amount})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Payment.objects.latest("created_at"), response["Location"]


@pytest.mark.django_db
def test_topup_through_the_simulator_credits_once(client, parent):
    user, household, _child = parent
    client.force_login(user)
    payment, location = start(client)
    assert payment.amount == Decimal("25.50") and payment.status == Payment.Status.PENDING
    assert location == f"/paiements/simulateur/{payment.pk}/"
    assert "25,50" in client.get(location).content.decode()
    back = client.post(location, {"pay": "1"})
    assert back.status_code == 302 and back["Location"].startswith(
        f"/paiements/retour/{payment.pk}/?"
    )
    clean = client.get(back["Location"])  # the browser's return: processed again, no effect
    assert clean.status_code == 302 and clean["Location"] == f"/paiements/retour/{payment.pk}/"
    page = client.get(clean["Location"]).content.decode()
    assert "crédité" in page and "25,50" in page
    # The bank calls again, the parent reloads: still one credit.
    query = back["Location"].split("?", 1)[1]
    client.post(f"/paiements/notification/{payment.pk}/", query, content_type="text/plain")
    client.get(back["Location"])
    client.get(clean["Location"])
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert LedgerEntry.objects.filter(account__household=household, source="card").count() == 1
    assert selectors.balance_of(household) == Decimal("25.50")
    assert payment.bank_responses.count() >= 3


@pytest.mark.django_db
def test_refused_payment_credits_nothing_and_says_so(client, parent):
    user, household, _child = parent
    client.force_login(user)
    payment, location = start(client, "40")
    back = client.post(location, {"refuse": "1"})
    page = client.get(client.get(back["Location"])["Location"]).content.decode()
    assert "pas été crédité" in page
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUSED
    assert selectors.balance_of(household) == Decimal("0.00")


@pytest.mark.django_db
def test_unsigned_or_forged_answers_are_kept_but_ignored(client, parent):
    user, household, _child = parent
    client.force_login(user)
    payment, _location = start(client, "10")
    tx = payment.transaction_id
    url = f"/paiements/notification/{payment.pk}/"
    for body in (
        f"transaction_id={tx}&ok=1",  # not signed
        f"transaction_id={tx}&ok=1&signed=1&amount=1000.00",  # another amount
        "transaction_id=someone-else&ok=1&signed=1&amount=10.00",  # another transaction
        "garbage",
    ):
        assert client.post(url, body, content_type="text/plain").status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert selectors.balance_of(household) == Decimal("0.00")
    assert BankResponse.objects.filter(payment=payment, accepted=False).count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["0", "0,99", "1000,01", "abc", ""])
def test_topup_amount_out_of_bounds_is_refused_beside_the_field(client, parent, amount):
    user, _household, _child = parent
    client.force_login(user)
    response = client.post("/paiements/recharger/", {"amount": amount})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert f'value="{amount}"' in html or amount == ""
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_another_familys_payment_is_404(client, parent, other_parent):
    user, _household, _child = parent
    other_user, _other_household, _ = other_parent
    client.force_login(other_user)
    payment, _ = start(client, "10")
    client.force_login(user)
    assert client.get(f"/paiements/retour/{payment.pk}/").status_code == 404


@pytest.mark.django_db
def test_unanswered_payment_is_abandoned_after_the_timeout_then_credited_once_if_late(
    client, parent, settings
):
    """Issue 11 item 6: the parent leaves the bank's page; the payment is not « en attente de la
    banque » for ever, and if the bank's confirmation comes late it is still credited once."""
    import datetime

    import time_machine
    from django.core.management import call_command

    user, household, _child = parent
    client.force_login(user)
    payment, _location = start(client, "10")
    settings.BILLING_PAYMENT_TIMEOUT_MINUTES = 30
    with time_machine.travel(datetime.timedelta(minutes=29)):
        assert services.expire_pending() == 0
    with time_machine.travel(datetime.timedelta(minutes=31)):
        call_command("poll_payments", stdout=__import__("io").StringIO())
        assert services.expire_pending() == 0  # idempotent
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    listing = client.get("/paiements/").content.decode()
    assert "abandonné" in listing and "en attente de la banque" not in listing
    page = client.get(f"/paiements/retour/{payment.pk}/").content.decode()
    assert "abandonné" in page and "pas été crédité" in page
    # The bank's (authenticated) confirmation arrives late, twice: one credit.
    late = f"transaction_id={payment.transaction_id}&signed=1&ok=1&amount=10.00"
    for _ in range(2):
        client.post(f"/paiements/notification/{payment.pk}/", late, content_type="text/plain")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert LedgerEntry.objects.filter(account__household=household, source="card").count() == 1
    assert selectors.balance_of(household) == Decimal("10.00")
    assert "crédité" in client.get(f"/paiements/retour/{payment.pk}/").content.decode()


@pytest.mark.django_db
def test_a_late_refusal_leaves_an_abandoned_payment_abandoned(client, parent):
    import datetime

    import time_machine

    user, household, _child = parent
    client.force_login(user)
    payment, _location = start(client, "10")
    with time_machine.travel(datetime.timedelta(hours=1)):
        assert services.expire_pending() == 1
    refused = f"transaction_id={payment.transaction_id}&signed=1&reason=refused&amount=10.00"
    client.post(f"/paiements/notification/{payment.pk}/", refused, content_type="text/plain")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    assert selectors.balance_of(household) == Decimal("0.00")


@pytest.mark.django_db
def test_simulator_is_refused_outside_development(client, parent, settings):
    user, household, _child = parent
    client.force_login(user)
    payment, location = start(client, "10")
    settings.PAYMENT_SIMULATOR_ENABLED = False
    assert client.get(location).status_code == 404
    forged = f"transaction_id={payment.transaction_id}&signed=1&ok=1&amount=10.00"
    client.get(f"/paiements/retour/{payment.pk}/?{forged}")
    assert selectors.balance_of(household) == Decimal("0.00")
    response = client.post("/paiements/recharger/", {"amount": "10"})
    assert response.status_code == 400 and "en mairie" in response.content.decode()
