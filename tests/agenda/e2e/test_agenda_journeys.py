"""Browser journeys of the agenda: booking, cancelling, bulk create and bulk delete (axe on every
page), and the agent's attendance sheet."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from portail.agenda.models import Activity, Booking, ClosedDay
from tests.agenda.conftest import NOW
from tests.agenda.factories import book, make_activities
from tests.conftest import assert_accessible, login
from tests.factories import AgentFactory, ChildFactory, make_parent

MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture
def clock_at_thursday():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def martin(db):
    user, household, lea = make_parent(credit_amount="100", first_name="Léa")
    hugo = ChildFactory(household=household, school=lea.school, first_name="Hugo")
    activities = make_activities(lea.school)
    return user, lea, hugo, activities


def day_link(page, child, day):
    return page.locator(f'a[href="/agenda/enfant/{child.pk}/{day.isoformat()}/"]')


@pytest.mark.django_db(transaction=True)
def test_book_then_cancel_a_day(page, clock_at_thursday, martin):
    user, lea, hugo, activities = martin
    login(page, user.username)
    page.get_by_role("link", name="agenda").first.click()
    page.get_by_label("Agenda de").select_option(label=str(hugo))
    page.get_by_role("button", name="Afficher").click()
    assert page.locator("h1").inner_text() == "Agenda de Hugo"
    expect(page.get_by_text("Légende")).to_be_visible()
    assert_accessible(page)

    # Keyboard: focus the day and press Enter.
    day_link(page, hugo, MONDAY).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{MONDAY.isoformat()}/")
    expect(page.get_by_text("4,10 €")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Restauration scolaire").check()
    page.get_by_label("Accueil matin").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Réservation enregistrée\u00a0: Restauration scolaire.")
    ).to_be_visible()
    assert Booking.objects.filter(child=hugo, status="booked").count() == 2
    assert_accessible(page)

    page.get_by_role("link", name="Retour au mois").click()
    cell = day_link(page, hugo, MONDAY)
    assert "réservé, encore annulable" in cell.inner_text()
    assert_accessible(page)

    cell.click()
    page.get_by_label("Accueil matin").uncheck()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Réservation annulée\u00a0: Accueil matin.")).to_be_visible()
    assert list(
        Booking.objects.filter(child=hugo, status="booked").values_list("activity__kind", flat=True)
    ) == [Activity.Kind.LUNCH]
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_past_deadline_day_is_grey_and_read_only(page, clock_at_thursday, martin):
    user, lea, hugo, activities = martin
    friday = datetime.date(2026, 11, 27)
    book(lea, activities[Activity.Kind.LUNCH], friday)
    login(page, user.username)
    page.goto(f"/agenda/?child={lea.pk}")
    cell = day_link(page, lea, friday)
    assert "hors délai" in cell.inner_text()
    assert "plus annulable" in cell.inner_text()
    cell.click()
    assert page.get_by_label("Restauration scolaire").is_disabled()
    assert page.get_by_role("button", name="Enregistrer").count() == 0
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_bulk_create_then_bulk_delete(page, clock_at_thursday, martin):
    user, lea, hugo, activities = martin
    ClosedDay.objects.create(
        date=datetime.date(2026, 12, 18), school=lea.school, reason="Journée pédagogique"
    )
    login(page, user.username)
    page.goto("/agenda/")
    page.get_by_role("link", name="saisie groupée").click()
    assert_accessible(page)
    assert page.get_by_label("Léa").is_checked() and page.get_by_label("Hugo").is_checked()
    page.get_by_role("button", name="créer").click()
    assert_accessible(page)
    page.locator("#id_start").fill("2026-11-27")
    page.locator("#id_end").fill("2026-12-18")
    page.get_by_label("Restauration scolaire").check()
    page.get_by_label("Accueil Soir 1").check()
    page.get_by_label("jeudi").uncheck()
    page.get_by_label("mardi").uncheck()
    page.get_by_role("button", name="Choisir les jours").click()
    assert_accessible(page)
    # Past the deadline and closed days: unticked, disabled, the reason beside them.
    late = page.get_by_label("ven. 27/11/2026")
    assert not late.is_checked() and late.is_disabled()
    closed = page.get_by_label("ven. 18/12/2026")
    assert not closed.is_checked() and closed.is_disabled()
    assert "Journée pédagogique" in page.locator('label[for="day-2026-12-18"]').inner_text()
    page.get_by_label("lun. 14/12/2026").uncheck()
    page.get_by_role("button", name="Voir le récapitulatif").click()

    # The summary before saving: per child and activity, the total and the balance after.
    # Mondays and Fridays from 30/11 to 11/12 but 14/12: 4 days x 2 activities x 2 children.
    expect(page.get_by_role("heading", name="16 réservations à créer")).to_be_visible()
    rows = page.locator("tbody tr")
    assert rows.count() == 4
    assert rows.filter(has_text="Hugo").filter(has_text="Restauration scolaire").inner_text()
    assert "16,40\xa0€" in rows.filter(has_text="Léa").filter(has_text="Restauration").inner_text()
    assert page.locator("#bulk-total").inner_text() == "45,60\xa0€"  # 8 x 4,10 + 8 x 1,60
    assert "54,40\xa0€" in page.locator("#bulk-forecast").inner_text()  # 100 - 45,60
    assert_accessible(page)
    assert not Booking.objects.exists()  # nothing saved yet
    page.get_by_role("button", name="Enregistrer").click()
    assert page.locator("h1").inner_text() == "Saisie groupée\u00a0: bilan"
    expect(page.get_by_text("16 réservations créées.")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.filter(status="booked").count() == 16

    page.get_by_role("link", name="saisie groupée").click()
    page.get_by_label("Léa").uncheck()
    page.get_by_role("button", name="supprimer").click()
    page.locator("#id_start").fill("2026-12-01")
    page.locator("#id_end").fill("2026-12-18")
    page.get_by_label("Accueil Soir 1").check()
    page.get_by_role("button", name="Choisir les jours").click()
    page.get_by_role("button", name="Voir le récapitulatif").click()
    expect(page.get_by_role("heading", name="3 réservations à supprimer")).to_be_visible()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("3 réservations supprimées.")).to_be_visible()
    assert_accessible(page)
    remaining = Booking.objects.filter(status="booked")
    assert remaining.filter(child=hugo, activity__kind="evening1").count() == 1  # 30/11 kept
    assert remaining.filter(child=lea).count() == 8


@pytest.mark.django_db(transaction=True)
def test_agent_takes_attendance_and_closes_a_day(page, clock_at_thursday, martin):
    user, lea, hugo, activities = martin
    lea.has_pai = True
    lea.save()
    evening = activities[Activity.Kind.EVENING1]
    book(lea, evening, MONDAY)
    agent = AgentFactory()
    login(page, agent.username)
    page.goto("/gestion/agenda/")
    assert_accessible(page)
    page.get_by_label("École").first.select_option(label=str(lea.school))
    page.get_by_label("Date").first.fill(MONDAY.isoformat())
    page.get_by_label("Activité").select_option(label="Accueil Soir 1")
    page.get_by_role("button", name="Ouvrir la feuille").click()
    expect(page.get_by_text("PAI").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("présent").first.check()
    page.get_by_role("button", name="Enregistrer le pointage").click()
    expect(page.get_by_text("Pointage enregistré")).to_be_visible()
    assert_accessible(page)

    page.goto("/gestion/agenda/")
    form = page.locator("form", has=page.get_by_role("button", name="Fermer ce jour"))
    form.get_by_label("Date").fill("2026-12-04")
    form.get_by_label("Motif").fill("Grève")
    page.get_by_role("button", name="Fermer ce jour").click()
    expect(page.get_by_text("Le 04/12/2026 est désormais fermé.")).to_be_visible()
    expect(page.get_by_role("cell", name="Grève")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_leaving_with_unsaved_choices_warns(page, clock_at_thursday, martin):
    user, lea, hugo, activities = martin
    login(page, user.username)
    page.goto(f"/agenda/enfant/{lea.pk}/{MONDAY.isoformat()}/")
    page.get_by_label("Accueil Soir 2").check()
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Retour au mois").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/{MONDAY.isoformat()}/")  # stayed: nothing lost
    assert page.get_by_label("Accueil Soir 2").is_checked()
    assert not Booking.objects.exists()
