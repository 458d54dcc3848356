import datetime

import pytest
from django.urls import reverse

from portail.agenda.models import Activity, Attendance, Booking, ClosedDay, PriceBracket
from tests.agenda.factories import book
from tests.factories import ChildFactory, PickupFactory, make_parent

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 30)
LUNCH = Activity.Kind.LUNCH


def day_url(child, day):
    return reverse("agenda:day", args=[child.pk, day.isoformat()])


def test_month_view_states_and_bookings(client, frozen, family):
    user, _household, child, activities = family
    book(child, activities[LUNCH], MONDAY)
    book(child, activities[LUNCH], datetime.date(2026, 11, 24))
    ClosedDay.objects.create(date=datetime.date(2026, 11, 23), reason="Grève", source="agent")
    client.force_login(user)
    html = client.get(reverse("agenda:calendar") + "?mois=2026-11").content.decode()
    assert "Agenda de" in html
    assert 'class="day day-open day-booked"' in html  # Monday 30: green, booked, cancellable
    assert "réservé, encore annulable" in html
    assert 'class="day day-locked day-booked"' in html  # Tuesday 24: past, booked, locked
    assert "Grève" in html and "fermé" in html
    assert day_url(child, MONDAY) in html


def test_agenda_queries_do_not_grow_with_bookings(
    client, frozen, family, django_assert_max_num_queries
):
    user, household, child, activities = family
    client.force_login(user)
    url = reverse("agenda:calendar") + f"?child={child.pk}&mois=2026-12"
    client.get(url)
    for day in range(1, 32):
        for activity in activities.values():
            book(child, activity, datetime.date(2026, 12, day))
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("day-booked") >= 20


def test_another_familys_child_is_404(client, frozen, family):
    user, *_ = family
    _other_user, _other_household, stranger = make_parent()
    client.force_login(user)
    assert client.get(reverse("agenda:calendar") + f"?child={stranger.pk}").status_code == 404
    assert client.get(day_url(stranger, MONDAY)).status_code == 404
    assert client.post(day_url(stranger, MONDAY), {"slots": [LUNCH]}).status_code == 404
    assert not Booking.objects.exists()
    response = client.get(
        reverse("agenda:bulk_period"), {"children": [stranger.pk], "action": "create"}
    )
    assert response.status_code == 404
    period = {"action": "create", "start": "2026-11-30", "end": "2026-11-30", "kinds": [LUNCH]}
    response = client.post(
        reverse("agenda:bulk_save"),
        {**period, "children": [stranger.pk], "weekdays": ["0"], "days": ["2026-11-30"]},
    )
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_day_view_books_and_shows_price_and_full(client, frozen, family):
    user, household, child, activities = family
    morning = activities[Activity.Kind.MORNING]
    morning.capacity = 1
    morning.save()
    book(ChildFactory(school=child.school), morning, MONDAY)
    client.force_login(user)
    html = client.get(day_url(child, MONDAY)).content.decode()
    assert "4,10" in html and "complet" in html and "data-warn-unsaved" in html
    response = client.post(day_url(child, MONDAY), {"slots": [LUNCH, "morning"]}, follow=True)
    assert "Réservation enregistrée\u00a0: Restauration scolaire." in response.content.decode()
    assert list(Booking.objects.filter(child=child).values_list("activity__kind", flat=True)) == [
        LUNCH
    ]


def test_day_past_deadline_is_read_only(client, frozen, family):
    user, household, child, activities = family
    friday = datetime.date(2026, 11, 27)
    book(child, activities[LUNCH], friday)
    client.force_login(user)
    html = client.get(day_url(child, friday)).content.decode()
    assert "hors délai" in html and "Enregistrer" not in html
    client.post(day_url(child, friday), {})
    assert Booking.objects.get().status == "booked"


def test_blocked_account_shows_reason_and_disables(client, frozen, family):
    user, household, child, activities = family
    household.negative_balance_since = datetime.date(2026, 10, 1)
    household.save()
    client.force_login(user)
    html = client.get(reverse("agenda:calendar")).content.decode()
    assert "recharger mon compte" in html
    html = client.get(day_url(child, MONDAY)).content.decode()
    assert "disabled" in html and "Enregistrer" not in html
    client.post(day_url(child, MONDAY), {"slots": [LUNCH]})
    assert not Booking.objects.exists()


def test_bulk_flow(client, frozen, family):
    user, household, child, activities = family
    client.force_login(user)
    assert "saisie groupée" in client.get(reverse("agenda:bulk")).content.decode()
    params = {"children": [child.pk], "action": "create"}
    html = client.get(reverse("agenda:bulk_period"), params).content.decode()
    assert 'name="start"' in html
    bad = client.get(
        reverse("agenda:bulk_period"),
        {**params, "start": "2026-12-10", "end": "2026-12-01", "kinds": [LUNCH], "weekdays": ["0"]},
    ).content.decode()
    assert "avant son début" in bad and 'value="2026-12-10"' in bad
    period = {**params, "start": "2026-11-27", "end": "2026-12-11", "kinds": [LUNCH]}
    period["weekdays"] = ["0", "4"]
    html = client.get(reverse("agenda:bulk_period"), period).content.decode()
    assert 'value="2026-11-30"' in html and "hors délai" in html
    chosen = {**period, "days": ["2026-11-27", "2026-11-30", "2026-12-04"]}
    # First the summary: nothing is saved until « Enregistrer ».
    preview = client.post(reverse("agenda:bulk_save"), chosen).content.decode()
    assert "2 réservations à créer" in preview and "8,20\xa0€" in preview
    assert Booking.objects.filter(status="booked").count() == 0
    response = client.post(reverse("agenda:bulk_save"), {**chosen, "confirmed": "1"})
    html = response.content.decode().lower()
    assert "2 réservations créées" in html and "hors délai" in html
    assert Booking.objects.filter(status="booked").count() == 2

    removal = {**period, "action": "delete", "days": ["2026-11-30"]}
    assert "1 réservation à supprimer" in (
        client.post(reverse("agenda:bulk_save"), removal).content.decode()
    )
    response = client.post(reverse("agenda:bulk_save"), {**removal, "confirmed": "1"})
    assert "1 réservation supprimée" in response.content.decode()


def test_bulk_days_closed_and_late_are_disabled_with_the_reason(client, frozen, family):
    user, household, child, activities = family
    ClosedDay.objects.create(
        date=datetime.date(2026, 12, 4), school=child.school, reason="Journée pédagogique"
    )
    client.force_login(user)
    period = {
        "children": [child.pk],
        "action": "create",
        "start": "2026-11-27",
        "end": "2026-12-11",
        "kinds": [LUNCH],
        "weekdays": ["0", "4"],
    }
    html = client.get(reverse("agenda:bulk_period"), period).content.decode()

    def box(iso):
        start = html.index(f'id="day-{iso}"')
        return html[html.rindex("<input", 0, start) : html.index("</li>", start)]

    assert "disabled" in box("2026-11-27") and "checked" not in box("2026-11-27")
    assert "hors délai" in box("2026-11-27")
    assert "disabled" in box("2026-12-04") and "Journée pédagogique" in box("2026-12-04")
    assert "checked" in box("2026-11-30") and "disabled" not in box("2026-11-30")
    # A closed day posted anyway is not booked.
    client.post(reverse("agenda:bulk_save"), {**period, "days": ["2026-12-04"], "confirmed": "1"})
    assert not Booking.objects.exists()


def test_bulk_summary_prices_with_the_family_quotient_and_forecasts_the_balance(
    client, frozen, family
):
    user, household, child, activities = family
    household.family_quotient = 500
    household.save()
    PriceBracket.objects.create(activity=activities[LUNCH], qf_min=0, qf_max=700, price="2.00")
    book(child, activities[LUNCH], datetime.date(2026, 12, 7))  # already booked: 2,00 € to come
    client.force_login(user)
    period = {
        "children": [child.pk],
        "action": "create",
        "start": "2026-11-30",
        "end": "2026-12-11",
        "kinds": [LUNCH, Activity.Kind.MORNING],
        "weekdays": ["0"],
        "days": ["2026-11-30", "2026-12-07"],
    }
    html = client.post(reverse("agenda:bulk_save"), period).content.decode()
    # Lunch: 30/11 only (07/12 already booked) at the bracket's 2,00 €; morning: 2 × 1,40 €.
    assert "3 réservations à créer" in html
    total = html[html.index('id="bulk-total"') :]
    assert total.startswith('id="bulk-total">4,80\xa0€')
    # 100,00 € − 2,00 € already booked − 4,80 € = 93,20 €
    forecast = html[html.index('id="bulk-forecast"') :]
    assert "93,20\xa0€" in forecast[:200]
    assert Booking.objects.filter(status="booked").count() == 1


def test_parents_cannot_reach_the_agents_side(client, family):
    user, *_ = family
    client.force_login(user)
    assert client.get(reverse("agenda_agent:home")).status_code == 403


def test_attendance_sheet_csv_and_closures(client, frozen, family, agent):
    user, household, child, activities = family
    evening = activities[Activity.Kind.EVENING1]
    child.allergies = "Arachide"
    child.has_pai = True
    child.save()
    PickupFactory(child=child, first_name="Jeanne")
    book(child, evening, MONDAY)
    walk_in = ChildFactory(school=child.school, first_name="Paul")
    client.force_login(agent)
    home = client.get(
        reverse("agenda_agent:home"),
        {"school": child.school.pk, "date": "2026-11-30", "kind": "evening1"},
    )
    sheet_url = reverse("agenda_agent:sheet", args=[evening.pk, "2026-11-30"])
    assert home.url == sheet_url
    html = client.get(sheet_url).content.decode()
    assert "Arachide" in html and "PAI" in html and "Jeanne" in html
    client.post(sheet_url, {f"state-{child.pk}": "present"})
    client.post(
        reverse("agenda_agent:sheet_add", args=[evening.pk, "2026-11-30"]), {"child": walk_in.pk}
    )
    assert set(Attendance.objects.values_list("child__first_name", "state")) == {
        (child.first_name, "present"),
        ("Paul", "present"),
    }
    csv = client.get(reverse("agenda_agent:sheet_csv", args=[evening.pk, "2026-11-30"]))
    text = csv.content.decode("utf-8-sig")
    assert (
        "Arachide" in text
        and "Paul" in text
        and csv["Content-Disposition"].startswith("attachment")
    )

    response = client.post(
        reverse("agenda_agent:closure_add"),
        {
            "closure-date": "2026-12-03",
            "closure-school": "",
            "closure-reason": "Journée pédagogique",
        },
    )
    assert response.status_code == 302
    closure = ClosedDay.objects.get(reason="Journée pédagogique")
    assert closure.school is None and closure.source == "agent"
    again = client.post(
        reverse("agenda_agent:closure_add"),
        {"closure-date": "2026-12-03", "closure-school": "", "closure-reason": "x"},
    )
    assert "déjà fermé" in again.content.decode()
    # The button asks first (a page, no JavaScript needed); its « Oui » reopens the day.
    ask = client.post(reverse("agenda_agent:closure_remove", args=[closure.pk]))
    assert ask.status_code == 200 and "Rouvrir le 03/12/2026" in ask.content.decode()
    assert ClosedDay.objects.exists()
    client.post(reverse("agenda_agent:closure_remove", args=[closure.pk]), {"confirmed": "1"})
    assert not ClosedDay.objects.exists()


def test_agent_books_past_the_deadline(client, frozen, family, agent):
    user, household, child, activities = family
    client.force_login(agent)
    friday = "2026-11-27"
    url = reverse("agenda_agent:child_day", args=[child.pk, friday])
    assert "Enregistrer" in client.get(url).content.decode()
    client.post(url, {"slots": [LUNCH]})
    assert Booking.objects.get().created_by == agent
    html = client.get(reverse("agenda_agent:child_calendar", args=[child.pk])).content.decode()
    assert url in html


def test_agent_finds_a_child_without_touching_the_sheet_form(client, family, agent):
    _user, _household, child, _activities = family
    client.force_login(agent)
    html = client.get(reverse("agenda_agent:home"), {"q": child.first_name}).content.decode()
    assert reverse("agenda_agent:child_calendar", args=[child.pk]) in html
    assert "errorlist" not in html


def test_a_childs_search_gives_its_total_and_pages_never_cuts(client, family, agent):
    _user, household, child, _activities = family
    for i in range(59):
        ChildFactory(household=household, school=child.school, first_name=f"Zoé{i:02d}")
    child.first_name = "Zoé99"
    child.save()
    client.force_login(agent)
    html = client.get(reverse("agenda_agent:home"), {"q": "zoé"}).content.decode()
    assert "60 enfants trouvés" in html
    assert html.count('href="/gestion/agenda/enfant/') == 50
    page2 = client.get(reverse("agenda_agent:home"), {"q": "zoé", "page": 2}).content.decode()
    assert page2.count('href="/gestion/agenda/enfant/') == 10
    assert reverse("agenda_agent:child_calendar", args=[child.pk]) in page2  # the last name


def test_family_without_credit_sees_why_and_may_only_cancel(client, frozen):
    from tests.agenda.factories import make_activities

    user, household, child = make_parent()
    activities = make_activities(child.school)
    book(child, activities[LUNCH], MONDAY)
    client.force_login(user)
    for url in (reverse("agenda:calendar"), day_url(child, MONDAY), reverse("agenda:bulk")):
        html = client.get(url).content.decode()
        assert "doit être crédité avant de pouvoir réserver" in html, url
        assert 'href="/paiements/?recharger=1#topup-title">recharger mon compte</a>' in html
    # a forged new booking is refused, the cancellation goes through
    response = client.post(day_url(child, MONDAY), {"slots": ["morning"]}, follow=True)
    html = response.content.decode()
    assert "Accueil matin non modifié\u00a0: compte bloqué" in html
    assert "Réservation annulée\u00a0: Restauration scolaire." in html
    assert not Booking.objects.filter(status="booked").exists()
    period = {
        "children": [child.pk],
        "action": "create",
        "start": "2026-11-30",
        "end": "2026-12-04",
        "kinds": [LUNCH],
        "weekdays": ["0", "1"],
    }
    html = client.get(reverse("agenda:bulk_period"), period).content.decode()
    assert "doit être crédité" in html
    html = client.post(reverse("agenda:bulk_save"), {**period, "days": ["2026-12-01"]})
    assert "doit être crédité" in html.content.decode()
    assert not Booking.objects.filter(status="booked").exists()
