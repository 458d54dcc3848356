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


def test_manage_py_check_and_the_wsgi_server_refuse_tipi(tmp_path):
    """Start-up refusal, as an administrator meets it: `manage.py check` and the WSGI app."""
    import os
    import subprocess
    import sys

    env = os.environ | {
        "PAYMENT_BACKEND": "tipi",
        "PAYMENT_OPTIONS": '{"numcli": "123456"}',
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "portail.settings",
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )
    assert check.returncode != 0
    assert "billing.E001" in check.stderr and "PAYMENT_BACKEND=payfip_ws" in check.stderr
    server = subprocess.run(
        [sys.executable, "-c", "import portail.wsgi"], env=env, capture_output=True, text=True
    )
    assert server.returncode != 0
    assert "ImproperlyConfigured" in server.stderr and "payfip_ws" in server.stderr


@pytest.mark.parametrize(
    ("backend", "options", "complaint"),
    [
        ("sips2", {}, "not supported"),
        ("dummy", {}, "refused"),
        (
            "systempayv2",
            {"vads_site_id": "12345678", "vads_ctx_mode": "PRODUCTION"},
            "secret_production",
        ),
        ("payzen", {"secret_test": "1122334455667788"}, "vads_site_id"),
        ("payfip_ws", {}, "numcli"),
    ],
)
def test_unusable_configurations_are_refused_at_start_up(settings, backend, options, complaint):
    settings.PAYMENT_BACKEND, settings.PAYMENT_OPTIONS = backend, options
    errors = [e for e in checks.run_checks(tags=["payments"]) if e.id == "billing.E001"]
    assert len(errors) == 1 and complaint in errors[0].msg


def test_the_usable_backends_pass_the_check(settings):
    for backend, options in [
        ("payfip_ws", {"numcli": "123456", "saisie": "W"}),
        ("systempayv2", {"vads_site_id": "12345678", "secret_test": "1122334455667788"}),
        (
            "paybox",
            {
                "site": "1999888",
                "rang": "32",
                "identifiant": "107904735",
                "shared_secret": "0" * 128,
            },
        ),
    ]:
        settings.PAYMENT_BACKEND, settings.PAYMENT_OPTIONS = backend, options
        assert not checks.run_checks(tags=["payments"])


# --- Systempay / PayZen: signed with the shop's certificate -----------------------------------

# Systempay's documentation computes its signature examples with this test certificate.
TEST_CERTIFICATE = "1122334455667788"
SITE = "12345678"


def systempay_answer(form_fields, key, algo="hmac_sha256", **changes):
    """The bank's notification as Systempay builds it: the payment's vads_* fields and the
    result, signed (documented algorithm, computed here independently of eopayment)."""
    import base64
    import hashlib
    import hmac
    from urllib.parse import urlencode

    sent = {f["name"]: f["value"] for f in form_fields}
    fields = {
        "vads_amount": sent["vads_amount"],
        "vads_auth_mode": "FULL",
        "vads_auth_number": "3fd2a8",
        "vads_auth_result": "00",
        "vads_ctx_mode": sent["vads_ctx_mode"],
        "vads_currency": "978",
        "vads_extra_result": "",
        "vads_operation_type": "DEBIT",
        "vads_order_id": sent["vads_order_id"],
        "vads_result": "00",
        "vads_site_id": sent["vads_site_id"],
        "vads_trans_date": sent["vads_trans_date"],
        "vads_trans_id": sent["vads_trans_id"],
        "vads_trans_status": "AUTHORISED",
        "vads_url_check_src": "PAY",
        "vads_version": "V2",
    } | changes
    message = "+".join(fields[k] for k in sorted(fields)) + "+" + key
    if algo == "hmac_sha256":
        digest = hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()
        signature = base64.b64encode(digest).decode()
    else:
        signature = hashlib.sha1(message.encode()).hexdigest()
    return urlencode(fields | {"signature": signature})


def notify(client, payment, body):
    response = client.post(
        f"/paiements/notification/{payment.pk}/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and response.content == b"OK"


def assert_not_credited(payment, household, kept_before):
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert selectors.balance_of(household) == Decimal("0.00")
    answers = BankResponse.objects.filter(payment=payment)
    assert answers.count() == kept_before + 1
    # Accepted = authenticated and about this payment (e.g. DGFiP's "in progress"), never paid.
    assert not answers.filter(accepted=True).exclude(result="WAITING").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["systempayv2", "payzen"])
@pytest.mark.parametrize("algo", ["hmac_sha256", "sha1"])
def test_systempay_signed_answers(client, parent, settings, backend, algo):
    _user, household, _child = parent
    settings.PAYMENT_BACKEND = backend
    settings.PAYMENT_OPTIONS = {
        "vads_site_id": SITE,
        "secret_test": TEST_CERTIFICATE,
        "signature_algo": algo,
    }
    payment, order = services.start_topup(household, "25.50", None, build_url)
    other, other_order = services.start_topup(household, "1.00", None, build_url)
    form = order.data.fields
    genuine = systempay_answer(form, TEST_CERTIFICATE, algo)
    forged = [
        genuine.replace("vads_amount=2550", "vads_amount=25500"),  # amount changed
        genuine[: -len("signature=") - 4] + "AAAA",  # signature changed
        systempay_answer(form, "0000000000000000", algo),  # signed with another key
        systempay_answer(
            form, TEST_CERTIFICATE, algo, vads_amount="100"
        ),  # re-signed, wrong amount
        systempay_answer(other_order.data.fields, TEST_CERTIFICATE, algo),  # another payment's
        systempay_answer(form, TEST_CERTIFICATE, algo, vads_site_id="87654321"),  # another shop
        "vads_result=00&vads_ctx_mode=TEST&vads_auth_result=00",  # no signature at all
    ]
    for kept, body in enumerate(forged):
        notify(client, payment, body)
        assert_not_credited(payment, household, kept)
    # The genuine answer credits once, however often it is delivered (replay, browser return).
    notify(client, payment, genuine)
    notify(client, payment, genuine)
    client.get(f"/paiements/retour/{payment.pk}/?{genuine}")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert selectors.balance_of(household) == Decimal("25.50")
    assert payment.bank_responses.filter(accepted=True).count() >= 1


@pytest.mark.django_db
def test_systempay_test_answer_to_a_production_shop_is_refused(client, parent, settings):
    """The test certificate is shown to anyone with back-office access: in production, an
    answer in TEST mode (signed with it) must not credit real money."""
    _user, household, _child = parent
    settings.PAYMENT_BACKEND = "systempayv2"
    settings.PAYMENT_OPTIONS = {
        "vads_site_id": SITE,
        "secret_test": TEST_CERTIFICATE,
        "secret_production": "9988776655443322",
        "vads_ctx_mode": "PRODUCTION",
        "signature_algo": "hmac_sha256",
    }
    payment, order = services.start_topup(household, "25.50", None, build_url)
    notify(
        client, payment, systempay_answer(order.data.fields, TEST_CERTIFICATE, vads_ctx_mode="TEST")
    )
    assert_not_credited(payment, household, 0)
    notify(client, payment, systempay_answer(order.data.fields, "9988776655443322"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


# --- Paybox: RSA signature with Paybox's key ---------------------------------------------------


@pytest.mark.django_db
def test_paybox_answers_not_signed_by_paybox_are_refused(client, parent, settings):
    """eopayment verifies Paybox's RSA-SHA1 signature with Paybox's public key, built in (it
    cannot be configured): a genuine answer cannot be built here, so this checks that an answer
    without signature, with a broken one, or signed with any other key credits nothing."""
    import base64
    from urllib.parse import quote

    from Cryptodome.Hash import SHA
    from Cryptodome.PublicKey import RSA
    from Cryptodome.Signature import PKCS1_v1_5

    _user, household, _child = parent
    settings.PAYMENT_BACKEND = "paybox"
    # Paybox's documented test shop (site, rang, identifiant) with a made-up HMAC key.
    settings.PAYMENT_OPTIONS = {"site": "1999888", "rang": "32", "identifiant": "107904735"}
    settings.PAYMENT_OPTIONS["shared_secret"] = "0123456789ABCDEF" * 8
    payment, order = services.start_topup(household, "12.30", None, build_url)
    cmd = {f["name"]: f["value"] for f in order.data.fields}["PBX_CMD"]
    assert cmd == payment.transaction_id
    data = (
        f"montant=1230&reference={quote(cmd)}&code_autorisation=XXXXXX&erreur=00000"
        "&numero_appel=0000000001&numero_transaction=0000000002"
        "&date_transaction=20261201&heure_transaction=10:00:00"
    )
    key = RSA.generate(1024)
    ours = base64.b64encode(PKCS1_v1_5.new(key).sign(SHA.new(data.encode()))).decode()
    for kept, body in enumerate(
        [data, f"{data}&signature=AAAA", f"{data}&signature={quote(ours)}"]
    ):
        notify(client, payment, body)
        assert_not_credited(payment, household, kept)


# --- PayFiP web service: the bank is asked --------------------------------------------------


@pytest.mark.django_db
def test_payfip_ws_credits_only_what_dgfip_confirms(client, parent, dgfip):
    user, household, _child = parent
    client.force_login(user)
    response = client.post("/paiements/recharger/", {"amount": "250"})
    payment = Payment.objects.latest("created_at")
    idop = payment.transaction_id
    assert response["Location"] == f"https://www.payfip.gouv.fr/tpa/paiementws.web?idop={idop}"
    assert dgfip.payments[idop]["montant"] == "25000" and dgfip.payments[idop]["saisie"] == "W"
    # The attacker's notification: what it says is ignored, DGFiP is asked about our idop.
    mine, _ = services.start_topup(household, "1", None, build_url)
    dgfip.settle(mine.transaction_id)  # the attacker's own 1 € payment, really paid
    for kept, body in enumerate(
        [
            f"idop={idop}&resultrans=P&montant=25000",
            f"idop={mine.transaction_id}",
            f"idOp={idop}",
            "",
        ]
    ):
        notify(client, payment, body)
        assert_not_credited(payment, household, kept)
    assert dgfip.queries(idop) == 4 and dgfip.queries(mine.transaction_id) == 0
    page = client.get(f"/paiements/retour/{payment.pk}/").content.decode()
    assert "attend la confirmation de la banque" in page
    # The parent pays at the bank; DGFiP notifies, the browser returns, DGFiP notifies again.
    dgfip.settle(idop)
    notify(client, payment, f"idOp={idop}")
    client.get(f"/paiements/retour/{payment.pk}/?idop={idop}")
    notify(client, payment, f"idOp={idop}")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert selectors.balance_of(household) == Decimal("250.00")
    assert dgfip.queries(idop) == 6  # a paid payment is not asked again
    assert "crédité" in client.get(f"/paiements/retour/{payment.pk}/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "dgfip_says",
    [{"montant": "100"}, {"refdet": "SOMEONEELSE"}, {"saisie": "T"}, {"resultrans": "R"}],
    ids=["other amount", "other reference", "test payment", "refused"],
)
def test_payfip_ws_answers_that_do_not_match_credit_nothing(client, parent, dgfip, dgfip_says):
    _user, household, _child = parent
    payment, _order = services.start_topup(household, "12.30", None, build_url)
    dgfip.settle(payment.transaction_id, **({"resultrans": "P"} | dgfip_says))
    notify(client, payment, f"idOp={payment.transaction_id}")
    payment.refresh_from_db()
    assert payment.status != Payment.Status.PAID
    assert selectors.balance_of(household) == Decimal("0.00")
    assert BankResponse.objects.filter(payment=payment).count() == 1


@pytest.mark.django_db
def test_payfip_ws_unreachable_keeps_the_answer_and_credits_nothing(client, parent, dgfip):
    _user, household, _child = parent
    payment, _order = services.start_topup(household, "12.30", None, build_url)
    dgfip.settle(payment.transaction_id)
    dgfip.stop()
    notify(client, payment, f"idOp={payment.transaction_id}")
    assert_not_credited(payment, household, 0)
    assert BankResponse.objects.get(payment=payment).result == "unreadable"


@pytest.mark.django_db
def test_payfip_ws_abandoned_payment_paid_late_is_found_by_poll_payments(client, parent, dgfip):
    """The notification of a late payment is lost: `poll_payments` asks DGFiP and credits it."""
    import datetime

    import time_machine
    from django.core.management import call_command

    user, household, _child = parent
    client.force_login(user)
    payment, _order = services.start_topup(household, "12.30", user, build_url)
    with time_machine.travel(datetime.timedelta(minutes=31)):
        call_command("poll_payments", stdout=__import__("io").StringIO())  # DGFiP: P5
        payment.refresh_from_db()
        assert payment.status == Payment.Status.CANCELLED
        client.force_login(user)  # the session has expired meanwhile
        page = client.get(f"/paiements/retour/{payment.pk}/").content.decode()
        assert "abandonné" in page
        dgfip.settle(payment.transaction_id)
    with time_machine.travel(datetime.timedelta(minutes=40)):
        call_command("poll_payments", stdout=__import__("io").StringIO())
        call_command("poll_payments", stdout=__import__("io").StringIO())
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert selectors.balance_of(household) == Decimal("12.30")


def test_check_deploy_warns_of_a_bank_in_test_mode(settings):
    settings.PAYMENT_BACKEND = "payfip_ws"
    settings.PAYMENT_OPTIONS = {"numcli": "123456"}  # saisie defaults to T: test
    warnings = checks.run_checks(tags=["payments"], include_deployment_checks=True)
    assert [w.id for w in warnings] == ["billing.W002"]
    settings.PAYMENT_OPTIONS = {"numcli": "123456", "saisie": "W"}
    assert not checks.run_checks(tags=["payments"], include_deployment_checks=True)


@pytest.mark.django_db
def test_payfip_ws_unreachable_at_top_up_says_so_and_keeps_nothing(client, parent, dgfip):
    user, _household, _child = parent
    client.force_login(user)
    dgfip.stop()
    response = client.post("/paiements/recharger/", {"amount": "25"})
    assert response.status_code == 400 and "en mairie" in response.content.decode()
    assert not Payment.objects.exists()
