"""What the partners read and write: headcounts, families, ledger, bookings; French refusals;
changes recorded in the audit with the application's name."""

import datetime
import json

import pytest
from django.db import connection

from portail.api.models import Scope
from portail.billing.selectors import balance_of
from portail.billing.services import post_entry, reverse_entry
from portail.core.models import AuditEvent
from portail.families.models import Child, Contact
from tests.agenda.factories import book, make_activities
from tests.api.conftest import DAY, ApiClient, make_application
from tests.factories import ChildFactory, SchoolFactory, make_parent


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def test_headcounts_per_day_school_and_activity_with_capacity(town, partner):
    _app, client = partner
    activities = town["activities"]
    _u, _h, other_child = make_parent(school=town["child"].school)
    book(other_child, activities["lunch"], DAY)
    cancelled = book(other_child, activities["morning"], DAY, status="cancelled")
    assert cancelled.status == "cancelled"
    other_school = SchoolFactory(name="École des Tilleuls")
    tilleuls = make_activities(other_school)  # no capacity
    book(ChildFactory(school=other_school), tilleuls["lunch"], DAY + datetime.timedelta(days=1))

    body = client.get("/api/v1/headcounts?date_from=2026-11-16&date_to=2026-11-17").json()
    rows = [
        (r["date"], r["school"], r["activity"], r["booked"], r["capacity"]) for r in body["items"]
    ]
    school = town["child"].school.name
    assert rows == [
        ("2026-11-16", school, "Accueil matin", 1, 40),
        ("2026-11-16", school, "Restauration scolaire", 2, 40),
        ("2026-11-17", "École des Tilleuls", "Restauration scolaire", 1, None),
    ]
    assert body["count"] == 3
    lunch_only = client.get(
        f"/api/v1/headcounts?date_from=2026-11-16&date_to=2026-11-17"
        f"&activity_id={activities['lunch'].pk}"
    ).json()
    assert [r["booked"] for r in lunch_only["items"]] == [2]


def test_pages_give_the_total_and_the_slice(town, partner):
    _app, client = partner
    for _ in range(4):
        make_parent()
    body = client.get("/api/v1/households?limit=2&offset=3").json()
    assert body["count"] == 5 and body["limit"] == 2 and body["offset"] == 3
    assert len(body["items"]) == 2
    everything = client.get("/api/v1/households?limit=500").json()["items"]
    assert [h["id"] for h in everything][3:5] == [h["id"] for h in body["items"]]
    refused = client.get("/api/v1/households?limit=501")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "limit", "message": "Doit valoir au plus 500."}]


def test_ledger_entries_and_balances_of_a_period_in_exact_strings(town, partner):
    _app, client = partner
    household = town["household"]
    later = DAY + datetime.timedelta(days=20)
    entry = post_entry(household, "0.10", "Paiement en mairie", "cash", date=later)
    post_entry(household, "0.20", "Paiement en mairie", "cash", date=later)
    reverse_entry(entry, "Erreur de saisie", town["user"])

    entries = client.get("/api/v1/ledger/entries?date_from=2026-11-01&date_to=2026-11-16").json()
    assert [(e["amount"], e["source"]) for e in entries["items"]] == [
        ("30.00", "cash"),
        ("-4.10", "consumption"),
    ]
    november = client.get("/api/v1/ledger/balances?date_from=2026-11-01&date_to=2026-11-30").json()
    assert november["items"] == [
        {
            "household_id": household.pk,
            "household": household.name,
            "opening": "0.00",
            "credits": "30.00",
            "debits": "-4.10",
            "closing": "25.90",
        }
    ]
    # The reversal is dated the day it is made (today), outside November's period.
    december = client.get("/api/v1/ledger/balances?date_from=2026-12-01&date_to=2026-12-31")
    row = december.json()["items"][0]
    assert row["opening"] == "25.90"
    assert row["closing"] == str(balance_of(household))
    raw = december.content.decode()
    assert '"closing": "' in raw  # a string, never a JSON number


def test_periods_are_checked_in_french(partner, db):
    _app, client = partner
    backwards = client.get("/api/v1/headcounts?date_from=2026-11-30&date_to=2026-11-01")
    assert backwards.status_code == 422
    assert backwards.json() == {
        "detail": "Les données envoyées ne sont pas valides.",
        "errors": [
            {"field": "date_to", "message": "La date de fin est antérieure à la date de début."}
        ],
    }
    too_long = client.get("/api/v1/ledger/entries?date_from=2025-01-01&date_to=2026-12-31")
    assert too_long.json()["errors"][0]["message"] == "366 jours au plus par requête."
    not_a_date = client.get("/api/v1/bookings?date=0")
    assert not_a_date.json()["errors"] == [
        {"field": "date", "message": "Saisissez une date au format AAAA-MM-JJ."}
    ]
    missing = client.get("/api/v1/bookings")
    assert missing.json()["errors"] == [{"field": "date", "message": "Ce champ est obligatoire."}]


def test_bookings_of_a_day_leave_out_cancellations_and_other_days(town, partner):
    _app, client = partner
    child = town["child"]
    book(child, town["activities"]["evening1"], DAY, status="cancelled")
    book(child, town["activities"]["evening1"], DAY + datetime.timedelta(days=1))
    items = client.get("/api/v1/bookings?date=2026-11-16").json()["items"]
    assert [(b["child_id"], b["activity"]) for b in items] == [
        (child.pk, "Accueil matin"),
        (child.pk, "Restauration scolaire"),
    ]


def test_a_partner_updates_an_address_and_the_change_is_audited(town):
    application, token = make_application([Scope.FAMILIES_WRITE.value], name="Logiciel scolaire")
    household = town["household"]
    response = patch(
        ApiClient(token),
        f"/api/v1/households/{household.pk}",
        {"address_line1": "3 place de la Mairie", "postcode": "74580"},
    )
    assert response.status_code == 200
    assert response.json()["address_line1"] == "3 place de la Mairie"
    household.refresh_from_db()
    assert (household.address_line1, household.city) == ("3 place de la Mairie", "Viry")
    event = AuditEvent.objects.get(action="household.updated")
    assert event.object_id == str(household.pk)
    assert event.data["via"] == "API\u00a0: Logiciel scolaire"
    assert event.data["changes"] == {"address_line1": "3 place de la Mairie", "postcode": "74580"}


def test_a_partner_adds_a_contact_and_moves_a_child_to_another_school(town, partner):
    _app, client = partner
    household, child = town["household"], town["child"]
    response = client.post(
        f"/api/v1/households/{household.pk}/contacts",
        data=json.dumps({"kind": "email", "value": "famille@example.test", "label": "Travail"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Contact.objects.get(household=household).value == "famille@example.test"
    school = SchoolFactory(name="École Jules Ferry")
    response = patch(
        client, f"/api/v1/children/{child.pk}", {"school_id": school.pk, "level": "CM1"}
    )
    assert response.json()["school"] == {"id": school.pk, "name": "École Jules Ferry"}
    child.refresh_from_db()
    assert (child.school, child.level) == (school, "CM1")
    assert AuditEvent.objects.filter(action="child.schooling_updated").count() == 1
    # null removes the school; a field not sent is left alone.
    patch(client, f"/api/v1/children/{child.pk}", {"school_id": None})
    child.refresh_from_db()
    assert (child.school, child.level) == (None, "CM1")


@pytest.mark.parametrize(
    ("url", "body", "field", "message"),
    [
        ("child", {"level": "6e"}, "level", "Valeur ou caractères non valides."),
        ("child", {"school_id": 999999}, "school_id", "Aucune école n'a cet identifiant."),
        ("child", {"first_name": "Léa"}, "first_name", "Champ inconnu."),
        ("household", {"city": "x" * 101}, "city", "100 caractères au plus."),
        ("household", {"city": "Viry\x00"}, "city", "Valeur ou caractères non valides."),
        ("household", ["city"], "body", "Un objet JSON est attendu."),
        ("contact", {"kind": "email", "value": "pas-une-adresse"}, "value", None),
        ("contact", {"kind": "fax", "value": "0450"}, "kind", "Valeur ou caractères non valides."),
        ("contact", {"kind": "phone"}, "value", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    town, partner, url, body, field, message
):
    _app, client = partner
    household, child = town["household"], town["child"]
    target = {
        "child": f"/api/v1/children/{child.pk}",
        "household": f"/api/v1/households/{household.pk}",
        "contact": f"/api/v1/households/{household.pk}/contacts",
    }[url]
    method = client.post if url == "contact" else client.patch
    response = method(target, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "Les données envoyées ne sont pas valides."
    (error,) = response.json()["errors"]
    assert error["field"] == field
    if message:
        assert error["message"] == message
    else:
        assert "courriel" in error["message"]
    household.refresh_from_db()
    assert household.city == "Viry"
    assert Child.objects.get(pk=child.pk).level == "CE1"
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exclude(action__startswith="api.").exists()


def test_unreadable_json_is_a_french_400(town, partner):
    _app, client = partner
    response = client.patch(
        f"/api/v1/households/{town['household'].pk}", data="{", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Le corps de la requête est illisible\u00a0: JSON attendu."


def test_huge_ids_are_refused_not_crashing(partner, db):
    _app, client = partner
    response = client.get(f"/api/v1/households/{2**70}")
    assert response.status_code == 422
    response = client.get(f"/api/v1/children?school_id={2**70}")
    assert response.status_code == 422
    response = client.get("/api/v1/households?offset=99999999999")
    assert response.status_code == 422
    assert connection.vendor in ("sqlite", "postgresql")


def test_an_empty_patch_changes_and_records_nothing(town, partner):
    _app, client = partner
    household, child = town["household"], town["child"]
    assert patch(client, f"/api/v1/households/{household.pk}", {}).status_code == 200
    assert patch(client, f"/api/v1/children/{child.pk}", {}).json()["level"] == "CE1"
    assert not AuditEvent.objects.exclude(action__startswith="api.").exists()
