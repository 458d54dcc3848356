import datetime
import json
from decimal import Decimal

import pytest

from portail.agenda.models import Activity, Booking
from portail.billing.services import post_entry
from portail.messaging.services import notify
from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import make_parent


@pytest.mark.django_db
def test_my_data_covers_bookings_money_documents_and_messages(client):
    user, household, child = make_parent()
    other_user, other_household, _ = make_parent()
    activity = Activity.objects.create(
        school=child.school,
        kind="lunch",
        name="Restauration scolaire",
        start_time=datetime.time(11, 30),
        end_time=datetime.time(13, 30),
        price=Decimal("4.10"),
    )
    Booking.objects.create(child=child, activity=activity, date=datetime.date(2026, 12, 1))
    post_entry(household, Decimal("25.00"), "Versement en espèces", "cash")
    post_entry(other_household, Decimal("99.00"), "Autre famille", "cash")
    upload(household, DocumentTypeFactory(name="Justificatif de domicile"), user)
    notify(user, "Votre demande est close", "Texte", email=False)
    notify(other_user, "Pas pour eux", "Secret", email=False)

    client.force_login(user)
    data = json.loads(client.get("/compte/donnees/telecharger/").content)
    assert data["agenda"]["bookings"][0]["activity"] == "Restauration scolaire"
    assert data["billing"]["balance"] == "25.00"
    assert [e["label"] for e in data["billing"]["ledger"]] == ["Versement en espèces"]
    assert data["documents"]["documents"][0]["type"] == "Justificatif de domicile"
    assert [m["subject"] for m in data["messaging"]["messages"]] == ["Votre demande est close"]
