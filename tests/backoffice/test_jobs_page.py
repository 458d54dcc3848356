"""Back-office « Tâches planifiées »: each job's schedule, last run, outcome, duration, next run."""

import dataclasses
import datetime

import pytest
import time_machine

from portail.core import jobs, services
from portail.core.clock import PARIS
from portail.core.models import JobRun
from portail.messaging.models import Message
from tests.factories import AgentFactory, CashierFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/gestion/taches/"
NOW = datetime.datetime(2026, 12, 1, 10, 7, tzinfo=PARIS)


@pytest.fixture
def agent_client(client):
    client.force_login(AgentFactory())
    return client


def test_parents_and_strangers_cannot_see_it(client, parent):
    assert client.get(URL).status_code == 302
    client.force_login(parent[0])
    assert client.get(URL).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_all_jobs_up_to_date(agent_client):
    services.run_all_due(trigger="scheduler")
    html = agent_client.get(URL).content.decode()
    assert "Toutes les tâches ont tourné à l’heure prévue." in html
    for job in jobs.JOBS:
        assert job.name in html
    assert "toutes les 5 minutes" in html
    assert "chaque jour à 00:30" in html
    assert "chaque année le 1er août à 03:30" in html
    assert "01/12/2026 10:10" in html  # next run of the 5-minute jobs
    assert "Réussie" in html


@time_machine.travel(NOW, tick=False)
def test_a_job_not_run_when_due_is_flagged(agent_client):
    services.run_all_due(trigger="scheduler")
    JobRun.objects.filter(job="documents_daily").delete()
    html = agent_client.get(URL).content.decode()
    assert "En retard\u00a0: prévue le 01/12/2026 01:00" in html
    assert "Une tâche demande votre attention" in html
    home = agent_client.get("/gestion/").content.decode()
    assert "Une tâche planifiée est en retard ou en échec." in home


def test_a_failed_job_is_flagged_with_its_output(agent_client, monkeypatch):
    broken = dataclasses.replace(jobs.get("purge_drafts"), args=("--date=31/12",))
    with time_machine.travel(NOW - datetime.timedelta(days=1), tick=False):
        services.run_job(jobs.get("purge_drafts"), trigger="manual")
    with time_machine.travel(NOW, tick=False):
        services.run_job(broken, slot=broken.schedule.previous(NOW), trigger="scheduler")
        html = agent_client.get(URL).content.decode()
    assert "En échec" in html
    assert "Échec (code de sortie 1)." in html
    assert "Dernière réussite\u00a0: 30/11/2026" in html
    assert "invalid fromisoformat value: &#x27;31/12&#x27;" in html


def test_a_run_without_end_is_flagged_as_interrupted(agent_client):
    with time_machine.travel(NOW, tick=False):
        JobRun.objects.create(
            job="send_emails",
            slot=NOW - datetime.timedelta(hours=3),
            trigger="systemd",
            started_at=NOW - datetime.timedelta(hours=3),
        )
        html = agent_client.get(URL).content.decode()
    assert "Interrompue" in html


def test_a_five_minute_job_silent_for_two_slots_is_late(agent_client):
    with time_machine.travel(NOW, tick=False):
        services.run_all_due(trigger="scheduler")
    with time_machine.travel(NOW + datetime.timedelta(minutes=4), tick=False):
        assert "En retard" not in agent_client.get(URL).content.decode()
    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        html = agent_client.get(URL).content.decode()
    assert "En retard\u00a0: prévue le 01/12/2026 10:10" in html


def test_the_regie_sees_the_jobs_page(client):
    client.force_login(CashierFactory())
    assert client.get(URL).status_code == 200


def _fail(job_name, when):
    broken = dataclasses.replace(jobs.get(job_name), command="no_such_command")
    with time_machine.travel(when, tick=False):
        return services.run_job(broken, trigger="scheduler")


def _succeed(job_name, when):
    job = dataclasses.replace(jobs.get(job_name), command="send_emails", date_offset=None)
    with time_machine.travel(when, tick=False):
        return services.run_job(job, trigger="scheduler")


def test_a_money_job_failing_tells_the_administrator_and_the_regie_once(
    mailbox, django_capture_on_commit_callbacks
):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    cashier = CashierFactory(username="regie")
    agent = AgentFactory(username="agent")
    with django_capture_on_commit_callbacks(execute=True):
        _fail("bill_consumption", NOW)
        _fail("bill_consumption", NOW + datetime.timedelta(days=1))  # still failing: no alert
    for user in (admin, cashier):
        messages = Message.objects.filter(recipient=user)
        assert [m.subject for m in messages] == ["Tâche planifiée en échec\u00a0: bill_consumption"]
        assert "01/12/2026 10:07" in messages[0].body
        assert "code de sortie 1" in messages[0].body
        assert messages[0].link == URL
    assert not Message.objects.filter(recipient=agent).exists()
    assert len(mailbox.to(admin.email)) == 1 and len(mailbox.to(cashier.email)) == 1

    _succeed("bill_consumption", NOW + datetime.timedelta(days=2))
    _fail("bill_consumption", NOW + datetime.timedelta(days=3))  # a new streak: told again
    assert Message.objects.filter(recipient=cashier).count() == 2


def test_other_jobs_failing_tell_only_the_administrator():
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    cashier = CashierFactory(username="regie")
    _fail("purge_drafts", NOW)
    assert Message.objects.filter(recipient=admin).count() == 1
    assert not Message.objects.filter(recipient=cashier).exists()
