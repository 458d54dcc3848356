import pytest

from tests.factories import CashierFactory, make_parent


@pytest.fixture
def cashier(db):
    return CashierFactory(first_name="Rémi", last_name="Régisseur")


@pytest.fixture
def other_parent(db):
    return make_parent()


@pytest.fixture(autouse=True)
def _payment_simulator(settings):
    # Tests run with DEBUG off, where the simulator is refused; these tests use it on purpose.
    settings.PAYMENT_SIMULATOR_ENABLED = True


@pytest.fixture(scope="session")
def dgfip_certificates(tmp_path_factory):
    from tests.billing.dgfip import make_certificates

    return make_certificates(tmp_path_factory.mktemp("dgfip"))


@pytest.fixture
def dgfip(dgfip_certificates, monkeypatch, settings):
    """PayFiP's web service (tests/billing/dgfip.py), reached by eopayment's real SOAP client."""
    from tests.billing.dgfip import DGFiP

    bank = DGFiP(dgfip_certificates)
    monkeypatch.setenv("HTTPS_PROXY", bank.proxy)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", bank.ca)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    settings.PAYMENT_BACKEND = "payfip_ws"
    settings.PAYMENT_OPTIONS = {"numcli": "123456", "saisie": "W"}
    yield bank
    bank.stop()
