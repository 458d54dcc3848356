import pytest

from portail.core import jobs, services
from portail.core.models import JobRun
from tests.conftest import assert_accessible, login
from tests.factories import AgentFactory


@pytest.mark.django_db(transaction=True)
def test_agent_sees_the_scheduled_jobs_and_a_late_one(page):
    AgentFactory(username="agent")
    services.run_all_due(trigger="scheduler")
    JobRun.objects.filter(job="documents_daily").delete()
    page.goto("/")
    login(page, "agent")
    page.get_by_text("Menu", exact=True).click()  # the folded menu of a phone
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Gestion"
    ).click()
    assert "en retard ou en échec" in page.locator(".notice").inner_text()
    page.get_by_role("link", name="Voir les tâches planifiées").click()
    assert page.locator("h1").inner_text() == "Tâches planifiées"
    row = page.locator("#job-documents_daily")
    assert "En retard" in row.inner_text()
    assert "chaque jour à 01:00" in row.inner_text()
    assert page.locator("tbody tr").count() == len(jobs.JOBS)
    assert_accessible(page)
