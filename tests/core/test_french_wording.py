"""The wrong or English strings a parent met, one by one (issue 15, item 1)."""

import pytest
from django.utils import translation

from portail.agenda.forms import BulkPeriodForm
from portail.billing.forms import CashForm
from portail.procedures.kinds.pickups import PickupsProcedure

NBSP, NNBSP = "\u00a0", "\u202f"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def test_a_wrong_password_speaks_of_the_identifier_not_a_pseudo(client, parent):
    user, _, _ = parent
    html = client.post("/compte/login/", {"login": user.username, "password": "faux"}).content
    html = html.decode()
    assert "L&#x27;identifiant et/ou le mot de passe sont incorrects." in html
    assert "pseudo" not in html


def test_top_up_bounds_are_written_in_french(client, parent, settings):
    user, _, _ = parent
    client.force_login(user)
    html = client.get("/paiements/").content.decode()
    low, high = settings.BILLING_TOPUP_MIN, settings.BILLING_TOPUP_MAX
    assert (low, high) == (1, 1000)  # the defaults the wording below spells
    assert f"Entre 1,00{NBSP}€ et 1{NNBSP}000,00{NBSP}€." in html


def test_an_amount_below_one_cent_is_refused_in_french():
    form = CashForm(data={"amount": "0,00"})
    assert not form.is_valid()
    assert form.errors["amount"] == [f"Saisissez un montant d'au moins 0,01{NBSP}€."]


def test_the_bulk_booking_end_date_is_au_not_destinataire():
    form = BulkPeriodForm(children=[])
    assert (str(form.fields["start"].label), str(form.fields["end"].label)) == ("Du", "Au")


def test_an_empty_pickup_list_reads_personne():
    lines = PickupsProcedure().summary({"persons": []})
    assert [str(value) for _label, value in lines] == ["", "personne"]
