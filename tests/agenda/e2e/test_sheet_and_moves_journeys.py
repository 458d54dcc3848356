"""The agent's day, in a browser, through the menu: the attendance sheet of a big lunch
(« Tous présents », then one absence excused with its reason) and a child's school change."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from portail.agenda.models import AbsenceReason, Attendance, Booking
from tests.agenda.factories import book, make_activities
from tests.conftest import assert_accessible, login
from tests.factories import AgentFactory, ChildFactory, SchoolFactory, make_parent

# Thursday 26 November 2026, 10:00 in Paris.
NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
MONDAY = datetime.date(2026, 11, 30)


def _agent_opens_the_agenda(page):
    """Logged in as « agent », through the back-office menu (no typed address)."""
    page.goto("/")
    login(page, "agent")
    page.get_by_role("navigation", name="Espaces de gestion").get_by_role(
        "link", name="Pointage et jours fermés"
    ).click()


@pytest.mark.django_db(transaction=True)
def test_agent_takes_a_big_lunch_all_present_then_one_excused(page):
    AgentFactory(username="agent")
    school = SchoolFactory(name="École Nord")
    lunch = make_activities(school)["lunch"]
    for n, name in enumerate(["Maladie", "Rendez-vous médical", "Sortie scolaire", "Autre"]):
        AbsenceReason.objects.create(name=name, charge_ratio=Decimal("0"), position=n)
    kids = [
        ChildFactory(school=school, level="CP" if n % 2 else "CE1", last_name=f"Élève{n:02}")
        for n in range(30)
    ]
    for kid in kids:
        book(kid, lunch, MONDAY)
    with time_machine.travel(NOW, tick=True):
        _agent_opens_the_agenda(page)
        page.get_by_label("École").first.select_option(label="École Nord")
        page.get_by_label("Date").first.fill(MONDAY.isoformat())
        page.get_by_label("Activité").select_option(label="Restauration scolaire")
        page.get_by_role("button", name="Ouvrir la feuille").click()
        count = page.locator(".sheet-count")
        expect(count).to_contain_text("0 présent(s) sur 30 réservé(s)")
        assert_accessible(page)

        # Filter the CP class, then everyone present.
        page.get_by_label("Niveau").select_option(label="CP")
        page.get_by_role("button", name="Filtrer").click()
        expect(count).to_contain_text("0 présent(s) sur 15 réservé(s)")
        page.get_by_role("button", name="Tous présents").click()
        expect(page.get_by_text("Pointage enregistré (15 modification(s)).")).to_be_visible()
        expect(count).to_contain_text("15 présent(s) sur 15 réservé(s)")

        # The exception, by keyboard: Élève01 is excused (medical appointment); the count follows.
        row = page.get_by_role("row", name="Élève01")
        reason = row.get_by_label("Motif d'absence excusée")
        reason.focus()
        reason.select_option(label="Rendez-vous médical")
        expect(row.get_by_label("absent")).to_be_checked()
        expect(count).to_contain_text("14 présent(s) sur 15 réservé(s)")
        box = row.get_by_text("présent", exact=True).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44  # a finger's target on a tablet
        page.get_by_role("button", name="Enregistrer le pointage").click()
        expect(page.get_by_text("Pointage enregistré (1 modification(s)).")).to_be_visible()
        assert_accessible(page)
    excused = Attendance.objects.get(child__last_name="Élève01")
    assert (excused.state, excused.absence_reason.name) == ("excused", "Rendez-vous médical")
    assert Attendance.objects.filter(state="present").count() == 14
    assert not Attendance.objects.filter(child__level="CE1").exists()  # not shown, not touched


@pytest.mark.django_db(transaction=True)
def test_agent_moves_a_child_to_another_school_and_books_there(page):
    AgentFactory(username="agent")
    user, household, child = make_parent(credit_amount="50.00", first_name="Léa")
    old = make_activities(child.school)
    new_school = SchoolFactory(name="École du Parc")
    make_activities(new_school)
    book(child, old["lunch"], MONDAY)
    book(child, old["morning"], MONDAY)
    with time_machine.travel(NOW, tick=True):
        _agent_opens_the_agenda(page)
        page.get_by_label("Nom de l'enfant").fill("Léa")
        page.locator("#contenu").get_by_role("button", name="Rechercher").click()
        page.get_by_role("link", name=f"{child.last_name} Léa").click()
        page.get_by_role("link", name="Changement d'école").click()
        assert_accessible(page)
        page.get_by_label("Nouvelle école").select_option(label="École du Parc")
        page.get_by_label("Date d'effet").fill("2026-11-30")
        page.get_by_role("button", name="Changer d'école").click()
        expect(
            page.get_by_role("heading", name="Les mêmes activités à la nouvelle école")
        ).to_be_visible()
        assert_accessible(page)
        expect(page.get_by_label("lundi 30/11/2026 – Restauration scolaire")).to_be_checked()
        page.get_by_label("lundi 30/11/2026 – Accueil matin").uncheck()
        page.get_by_role("button", name="Les réserver pour la famille").click()
        expect(page.get_by_text("1 réservation(s) faite(s) à École du Parc")).to_be_visible()
    booked = Booking.objects.get(child=child, status="booked")
    assert booked.activity.school == new_school and booked.activity.kind == "lunch"
    assert user.portal_messages.filter(subject="Changement d'école\u00a0: Léa").exists()
