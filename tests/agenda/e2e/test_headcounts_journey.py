import datetime

import pytest
import time_machine

from tests.agenda.factories import book, make_activities
from tests.conftest import assert_accessible, login
from tests.factories import AgentFactory, ChildFactory, SchoolFactory

# Thursday 26 November 2026, 10:00 in Paris.
NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))


@pytest.mark.django_db(transaction=True)
def test_an_agent_reads_the_kitchen_headcounts_through_the_menu(page):
    AgentFactory(username="agent")
    lunch = make_activities(SchoolFactory(name="École Nord"), capacity=30)["lunch"]
    for child in (ChildFactory(), ChildFactory()):
        book(child, lunch, datetime.date(2026, 11, 27))
    with time_machine.travel(NOW, tick=True):
        page.goto("/")
        login(page, "agent")
        page.get_by_role("navigation", name="Espaces de gestion").get_by_role(
            "link", name="Effectifs pour la cuisine"
        ).click()
        assert page.locator("h1").inner_text() == "Effectifs pour la cuisine"
        day = page.get_by_role("region", name="Effectifs du 27 novembre 2026")
        row = day.get_by_role("row", name="Restauration scolaire")
        assert row.get_by_role("cell").all_inner_texts() == ["École Nord", "2", "30", "28"]
        assert page.get_by_text("Effectif définitif").count() == 1
        assert_accessible(page)
        # A period typed backwards: the error beside the field, the dates kept.
        page.get_by_role("textbox", name="Du").fill("2026-12-04")
        page.get_by_role("textbox", name="Au").fill("2026-11-30")
        page.get_by_role("button", name="Afficher les effectifs").click()
        assert "La fin de la période est avant son début" in page.locator(".errorlist").inner_text()
        assert page.get_by_role("textbox", name="Du").input_value() == "2026-12-04"
        assert_accessible(page)
