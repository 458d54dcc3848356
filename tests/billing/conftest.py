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
