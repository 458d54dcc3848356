"""Accounts below zero (issue 13 item 6): every one listed and counted, days negative,
« bloqué », contact details, CSV, and the reminder mail (« relance »): one per family,
through the notify path, logged, confirmed first, not twice the same day unless forced."""

import csv
import datetime
import io

import pytest
import time_machine
from django.test import Client

from portail.billing import services
from portail.core.models import AuditEvent
from portail.families.models import Contact, Household
from portail.messaging.models import Message, OutboundEmail
from tests.factories import AdultFactory, AgentFactory, ChildFactory, HouseholdFactory, make_parent

TODAY = datetime.date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 0), tick=False):
        yield


def _negative(household, amount="-20.00", since=None):
    services.post_entry(household, amount, "Repas", "consumption")
    if since is not None:
        Household.objects.filter(pk=household.pk).update(negative_balance_since=since)
    household.refresh_from_db()
    return household


def _reminders():
    return OutboundEmail.objects.filter(dedupe_key__startswith="billing:reminder:")


@pytest.fixture
def families(db):
    """120 families below zero (three pages of 50), the first 10 for more than the grace days."""
    rows = []
    for i in range(120):
        if i < 5:  # account holders (the in-app message); the others known by an address only
            household = make_parent()[1]
        else:
            household = HouseholdFactory()
            AdultFactory(household=household, email=f"parent{i}@example.test")
        since = TODAY - datetime.timedelta(days=30 if i < 10 else 3)
        rows.append(_negative(household, f"-{10 + i}.00", since))
    return rows


@pytest.fixture
def cashier_client(cashier):
    client = Client()
    client.force_login(cashier)
    return client


def test_every_account_below_zero_is_listed_and_counted(families, cashier_client):
    page = cashier_client.get("/gestion/regie/comptes-negatifs/").content.decode()
    assert "120 comptes" in page
    assert "Page 1 sur 3" in page
    last = cashier_client.get("/gestion/regie/comptes-negatifs/?page=3").content.decode()
    assert last.count('name="household"') == 20


def test_days_negative_blocked_flag_and_contacts(db, cashier_client):
    household = HouseholdFactory(name="Famille Bloquée")
    AdultFactory(household=household, email="maman@example.test", phone="0601020304")
    Contact.objects.create(household=household, channel=Contact.Channel.PHONE, value="0450000000")
    _negative(household, since=TODAY - datetime.timedelta(days=20))
    recent = _negative(
        HouseholdFactory(name="Famille Récente"), since=TODAY - datetime.timedelta(days=2)
    )
    page = cashier_client.get("/gestion/regie/comptes-negatifs/?sort=-days").content.decode()
    assert page.index("Famille Bloquée") < page.index("Famille Récente")
    assert "20 jours" in page and "2 jours" in page
    assert "bloquées" in page and "maman@example.test" in page and "0450000000" in page
    only_blocked = cashier_client.get(
        "/gestion/regie/comptes-negatifs/?blocked=yes"
    ).content.decode()
    assert "Famille Bloquée" in only_blocked and recent.name not in only_blocked


def test_the_export_has_every_filtered_account_with_its_figures(families, cashier_client):
    response = cashier_client.get("/gestion/regie/comptes-negatifs/?export=csv&page=2")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(lines) == 1 + 120  # all of them, not the page asked
    header = lines[0]
    assert header[:5] == [
        "Foyer",
        "Solde",
        "Négatif depuis le",
        "Jours en négatif",
        "Réservations bloquées",
    ]
    blocked = [line for line in lines[1:] if line[4] == "oui"]
    assert len(blocked) == 10 and all(line[3] == "30" for line in blocked)
    assert lines[1][1] == "-129,00"  # the most negative first
    blocked_only = cashier_client.get("/gestion/regie/comptes-negatifs/?export=csv&blocked=yes")
    assert len(blocked_only.content.decode("utf-8-sig").strip().splitlines()) == 1 + 10


def test_one_reminder_per_family_logged_and_not_twice_the_same_day(families, cashier):
    ids = [h.pk for h in families[:5]]
    outcome = services.send_balance_reminders(ids, cashier)
    assert len(outcome.sent) == 5 and not outcome.already
    mails = list(_reminders())
    assert len(mails) == 5 and len({m.to for m in mails}) == 5
    mail = next(m for m in mails if m.dedupe_key.startswith(f"billing:reminder:{ids[0]}:"))
    assert mail.subject == "Rappel\u00a0: votre compte d'avance est négatif"
    assert "-10,00\u00a0€" in mail.body and "recharger mon compte" in mail.body
    assert "bloquées" in mail.body  # negative for 30 days: bookings blocked
    # In-app too, and logged for the family.
    assert Message.objects.filter(subject=mail.subject).count() == 5
    events = AuditEvent.objects.filter(action="billing.balance_reminder")
    assert sorted(int(e.object_id) for e in events) == sorted(ids)
    assert all(e.actor == cashier for e in events)

    again = services.send_balance_reminders(ids, cashier)
    assert not again.sent and len(again.already) == 5 and _reminders().count() == 5

    forced = services.send_balance_reminders(ids[:2], cashier, force=True)
    assert len(forced.sent) == 2 and _reminders().count() == 7

    with time_machine.travel(datetime.datetime(2026, 11, 17, 10, 0), tick=False):
        assert len(services.send_balance_reminders(ids, cashier).sent) == 5


def test_a_family_without_account_holder_is_written_at_its_known_address(db, cashier):
    household = HouseholdFactory()
    AdultFactory(household=household, email="", user=None)
    Contact.objects.create(
        household=household, channel=Contact.Channel.EMAIL, value="foyer@example.test"
    )
    nobody = HouseholdFactory()
    AdultFactory(household=nobody, email="", user=None)
    _negative(household), _negative(nobody)
    outcome = services.send_balance_reminders([household.pk, nobody.pk], cashier)
    assert [h.pk for h in outcome.sent] == [household.pk]
    assert [h.pk for h in outcome.unreachable] == [nobody.pk]
    assert list(_reminders().values_list("to", flat=True)) == ["foyer@example.test"]


def test_a_family_back_above_zero_is_not_reminded(db, cashier):
    _user, household, _child = make_parent()
    _negative(household)
    services.post_entry(household, "50.00", "Espèces", "cash")
    assert not services.send_balance_reminders([household.pk], cashier).sent


def test_reminding_a_selection_asks_for_confirmation_first(families, cashier_client):
    ticked = [str(families[0].pk), str(families[3].pk)]
    first = cashier_client.post(
        "/gestion/regie/comptes-negatifs/relance/",
        {"scope": "selection", "household": ticked, "query": "blocked=yes"},
    )
    assert first.status_code == 200
    page = first.content.decode()
    assert "Envoyer un e-mail de relance à 2 familles\u00a0?" in page
    assert families[0].name in page and _reminders().count() == 0
    confirmed = cashier_client.post(
        "/gestion/regie/comptes-negatifs/relance/",
        {"ids": ",".join(ticked), "query": "blocked=yes", "force": "", "confirmed": "1"},
    )
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/gestion/regie/comptes-negatifs/?blocked=yes"
    assert _reminders().count() == 2


def test_reminding_all_takes_every_filtered_family_not_only_the_page(families, cashier_client):
    first = cashier_client.post(
        "/gestion/regie/comptes-negatifs/relance/", {"scope": "all", "query": ""}
    )
    assert "120 familles\u00a0?" in first.content.decode()
    ids = next(
        line.split('value="')[1].split('"')[0]
        for line in first.content.decode().splitlines()
        if 'name="ids"' in line
    )
    cashier_client.post("/gestion/regie/comptes-negatifs/relance/", {"ids": ids, "confirmed": "1"})
    assert _reminders().count() == 120


def test_no_selection_is_a_clear_message(families, cashier_client):
    response = cashier_client.post(
        "/gestion/regie/comptes-negatifs/relance/", {"scope": "selection"}, follow=True
    )
    assert "Cochez au moins une famille" in response.content.decode()
    assert _reminders().count() == 0


def test_a_parent_cannot_open_or_send(families):
    client = Client()
    client.force_login(make_parent()[0])
    assert client.get("/gestion/regie/comptes-negatifs/").status_code == 403
    post = client.post(
        "/gestion/regie/comptes-negatifs/relance/", {"scope": "all", "confirmed": "1"}
    )
    assert post.status_code == 403 and _reminders().count() == 0


def test_the_school_filter(db, cashier_client):
    child = ChildFactory()
    _negative(child.household)
    other = _negative(HouseholdFactory(name="Famille Ailleurs"))
    page = cashier_client.get(f"/gestion/regie/comptes-negatifs/?school={child.school_id}")
    text = page.content.decode()
    assert child.household.name in text and other.name not in text
    assert AgentFactory()  # an agent reads the list too
