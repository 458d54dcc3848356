"""The dashboard (issue 13 item 7): counters of the work waiting, each opening its filtered
list; « new » since the agent last looked; the cashier's own desk; the charts equal the
data; the daily digest mail."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from portail.agenda.models import Attendance
from portail.billing import services as billing
from portail.core.models import AgentInbox, AuditEvent
from portail.messaging.models import OutboundEmail
from portail.pages.models import ContactMessage
from portail.procedures.models import ServiceRequest, Status
from tests.agenda.factories import make_activities
from tests.documents.factories import DocumentTypeFactory, upload
from tests.factories import (
    AgentFactory,
    CashierFactory,
    ChildFactory,
    HouseholdFactory,
    make_parent,
)

NOW = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _request(household, status, when=NOW):
    n = ServiceRequest.objects.count() + 1
    return ServiceRequest.objects.create(
        kind="personnes-autorisees",
        household=household,
        status=status,
        reference=f"T-{n}",
        submitted_at=when,
        data={},
    )


@pytest.fixture
def work(db):
    household = HouseholdFactory()
    for _i in range(3):
        _request(household, Status.PENDING)
    _request(household, Status.PROCESSING)
    _request(household, Status.CLOSED)
    kind = DocumentTypeFactory()
    for _i in range(2):
        upload(household, kind)
    ContactMessage.objects.create(name="A", email="a@example.test", subject="Cantine", body="?")
    ContactMessage.objects.create(
        name="B", email="b@example.test", subject="Fait", body="!", handled_at=NOW
    )
    return household


def _counters(html):
    """{label: (figure, link)} of the dashboard's counters."""
    found = re.findall(
        r'<a href="([^"]+)" class="counter"><span class="counter-figure">([^<]+)</span> '
        r'<span class="counter-label">([^<]+)</span>',
        html,
    )
    return {
        label.replace("&#x27;", "'"): (figure, url.replace("&amp;", "&"))
        for url, figure, label in found
    }


def test_each_counter_gives_the_waiting_work_and_opens_the_filtered_list(work):
    agent = AgentFactory()
    client = Client()
    client.force_login(agent)
    counters = _counters(client.get("/gestion/").content.decode())
    assert counters["Demandes en attente"] == ("3", "/gestion/demandes/?status=pending")
    assert counters["Demandes en cours de traitement"] == (
        "1",
        "/gestion/demandes/?status=processing",
    )
    assert counters["Justificatifs à vérifier"][0] == "2"
    assert counters["Messages «\u00a0Nous contacter\u00a0» à traiter"] == (
        "1",
        "/gestion/messages/",
    )
    # The figure and the list agree.
    for figure, url in counters.values():
        page = client.get(url).content.decode()
        assert re.search(rf"<strong>{figure} \w+", page), url


def test_new_work_is_counted_until_the_agent_opens_the_queue(work):
    agent = AgentFactory()
    client = Client()
    client.force_login(agent)
    assert "3 nouveaux" in client.get("/gestion/").content.decode()
    client.get("/gestion/demandes/")
    client.get("/gestion/justificatifs/")
    page = client.get("/gestion/").content.decode()
    assert "badge-new" not in page
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        _request(work, Status.PENDING, when=NOW + datetime.timedelta(minutes=5))
        page = client.get("/gestion/").content.decode()
    assert "1 nouveau<" in page


def test_the_cashier_sees_her_own_desk(db):
    cashier = CashierFactory()
    other = CashierFactory()
    _user, household, _child = make_parent()
    billing.record_cash_payment(household, "30.00", cashier, "", token=None, confirmed=True)
    billing.record_cash_payment(household, "20.00", other, "", token=None, confirmed=True)
    client = Client()
    client.force_login(cashier)
    counters = _counters(client.get("/gestion/").content.decode())
    assert counters["Mes reçus d'encaissement du jour"][0] == "1"
    assert counters["Espèces encaissées aujourd'hui"][0] == "30,00\u00a0€"
    assert "Demandes en attente" not in counters


def _table(html, chart_id):
    section = html.split(f'id="{chart_id}-heading"')[1].split("</section>")[0]
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>(.*?)</tr>", section)
    return {month: re.findall(r"<td>([^<]*)</td>", cells) for month, cells in rows}


def _bars(html, chart_id):
    svg = html.split("<svg")[1 if chart_id == "attendance" else 2].split("</svg>")[0]
    return re.findall(r'data-value="([^"]+)"', svg)


def test_the_charts_and_their_tables_show_the_recorded_figures(db):
    child = ChildFactory()
    activities = make_activities(child.school)
    lunch = activities["lunch"]
    for day in (datetime.date(2026, 10, 5), datetime.date(2026, 10, 6), datetime.date(2026, 11, 2)):
        Attendance.objects.create(child=child, activity=lunch, date=day, state="present")
    Attendance.objects.create(
        child=child, activity=lunch, date=datetime.date(2026, 10, 8), state="absent"
    )
    billing.post_entry(child.household, "50.00", "Carte", "card", date=datetime.date(2026, 10, 1))
    billing.post_entry(
        child.household, "-12.30", "Repas", "consumption", date=datetime.date(2026, 10, 31)
    )
    agent = AgentFactory()
    client = Client()
    client.force_login(agent)
    html = client.get("/gestion/").content.decode()
    attendance = _table(html, "attendance")
    assert len(attendance) == 12 and list(attendance)[-1] == "novembre 2026"
    assert attendance["octobre 2026"] == ["0", "2", "0", "0"]  # morning, lunch, evening 1, 2
    assert attendance["novembre 2026"] == ["0", "1", "0", "0"]
    assert sum(int(v) for v in _bars(html, "attendance")) == 3
    money = _table(html, "money")
    assert money["octobre 2026"] == ["50,00\u00a0€", "12,30\u00a0€"]
    assert "50.00" in _bars(html, "money") and "12.30" in _bars(html, "money")
    assert html.count('role="img"') == 2


def test_the_daily_digest_goes_to_the_agents_who_asked_once_a_day(work):
    wants, quiet = AgentFactory(), AgentFactory()
    client = Client()
    client.force_login(wants)
    client.post("/gestion/recapitulatif/", {"daily_digest": "1"})
    assert AgentInbox.objects.get(user=wants).daily_digest
    assert AuditEvent.objects.filter(action="core.daily_digest", actor=wants).exists()
    call_command("send_agent_digest", "--date=2026-11-16")
    call_command("send_agent_digest", "--date=2026-11-16")
    digests = OutboundEmail.objects.filter(dedupe_key__startswith="backoffice:digest:")
    assert [m.to for m in digests] == [wants.email]
    body = digests[0].body
    assert "Demandes en attente\u00a0: 3" in body and "(3 nouveau(x) depuis hier)" in body
    assert "/gestion/demandes/?status=pending" in body
    assert quiet.email not in [m.to for m in OutboundEmail.objects.all()]
    client.post("/gestion/recapitulatif/", {})
    call_command("send_agent_digest", "--date=2026-11-17")
    assert digests.count() == 1


def test_the_digest_job_is_registered():
    from portail.core import jobs

    job = jobs.get("send_agent_digest")
    assert job.command == "send_agent_digest" and job.arguments(NOW) == ["--date=2026-11-16"]
