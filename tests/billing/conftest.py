import pytest

from tests.factories import CashierFactory, make_parent


@pytest.fixture
def cashier(db):
    return CashierFactory(first_name="Rémi", last_name="Régisseur")


@pytest.fixture
def other_parent(db):
    return make_parent()
