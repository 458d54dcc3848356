"""Issue 15 item 2: the parents' forms check what they take (pick-up persons, absence,
enrolment documents) and ask before cancelling or deleting."""

import datetime

import pytest
from django.urls import reverse

from portail.agenda.models import ClosedDay
from portail.documents.models import Concerns
from portail.families.models import Contact
from portail.procedures import services
from portail.procedures.kinds import get_procedure
from portail.procedures.models import ServiceRequest, Status
from tests.agenda.factories import book
from tests.documents.factories import DocumentTypeFactory
from tests.factories import AdultFactory, ChildFactory, PickupFactory

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2026, 11, 26)
MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC), tick=False)


# --- pick-up persons ---------------------------------------------------------------------


def _pickups(client, parent):
    user, household, child = parent
    client.force_login(user)
    response = client.post("/demarches/personnes-autorisees/", {"child": child.pk})
    sr = ServiceRequest.objects.get()
    return sr, reverse("procedures:step", args=[sr.pk, 1]), response


NEW = {"add": "1", "source": "new", "relationship": "Oncle", "phone": "06 12 34 56 78"}


def test_pickup_phone_and_name_follow_the_profile_rules(client, parent):
    sr, url, _r = _pickups(client, parent)
    html = client.post(
        url, {**NEW, "first_name": "Paul2", "last_name": "<b>", "phone": "abc"}
    ).content.decode()
    assert "Saisissez un numéro de téléphone d&#x27;au moins 10 chiffres" in html
    assert html.count("Saisissez un nom en lettres seulement") == 2
    assert 'value="Paul2"' in html  # nothing typed is lost
    sr.refresh_from_db()
    assert sr.draft_data["persons"] == []
    # « Mon profil » refuses the same name.
    user, household, _child = parent
    adult = household.adults.get()
    profile = client.post(
        reverse("accounts:edit_adult", args=[adult.pk]),
        {"last_name": "<b>", "first_name": "Camille", "relationship": "mother", "phone": ""},
    ).content.decode()
    assert "Saisissez un nom en lettres seulement" in profile


def test_pickup_same_person_twice_is_refused_beside_the_field(client, parent):
    sr, url, _r = _pickups(client, parent)
    client.post(url, {**NEW, "first_name": "Marie-Hélène", "last_name": "N'Diaye"})
    html = client.post(
        url, {**NEW, "first_name": " marie-hélène ", "last_name": "N'DIAYE"}
    ).content.decode()
    assert "Cette personne est déjà dans la liste." in html
    sr.refresh_from_db()
    assert [p["last_name"] for p in sr.draft_data["persons"]] == ["N'Diaye"]


def test_pickup_household_adults_are_offered_and_complete_what_they_lack(client, parent):
    user, household, child = parent
    AdultFactory(household=household, first_name="Karim", last_name="Benali", phone="")
    sr, url, response = _pickups(client, parent)
    html = client.get(url).content.decode()
    assert "Karim Benali (Mère)" in html  # the adults of the account, with their relationship
    known = [p["first_name"] for p in _known(sr, household)]
    karim = known.index("Karim")
    # No phone in the account: the form asks for it, then adds him.
    refused = client.post(url, {"add": "1", "source": "existing", "existing": karim})
    assert "Indiquez-le pour cette personne." in refused.content.decode()
    client.post(url, {"add": "1", "source": "existing", "existing": karim, "phone": "0611223344"})
    sr.refresh_from_db()
    assert sr.draft_data["persons"] == [
        {
            "first_name": "Karim",
            "last_name": "Benali",
            "relationship": "Mère",
            "phone": "0611223344",
        }
    ]


def _known(sr, household):
    from portail.procedures.kinds.pickups import _known_persons

    return _known_persons(household, sr.draft_data["persons"])


def test_pickup_request_without_change_is_refused(client, parent):
    user, household, child = parent
    PickupFactory(child=child, first_name="Jeanne", last_name="Durand")
    sr, url, _r = _pickups(client, parent)
    response = client.post(url, {"submit": "1"}, follow=True)
    assert "La liste n&#x27;a pas changé" in response.content.decode()
    sr.refresh_from_db()
    assert sr.status == Status.DRAFT
    client.post(url, {**NEW, "first_name": "Anne", "last_name": "Petit"})
    client.post(url, {"submit": "1"})
    sr.refresh_from_db()
    assert sr.status == Status.PENDING


# --- absence -------------------------------------------------------------------------------


def _absence(client, parent, activities, illness):
    user, household, child = parent
    client.force_login(user)
    client.post("/demarches/absence/", {"terms": "on", "child": child.pk})
    sr = ServiceRequest.objects.get()
    return sr, reverse("procedures:step", args=[sr.pk, 1])


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2026, 11, 29),  # a Sunday
        datetime.date(2026, 12, 1),  # nothing booked
        datetime.date(2026, 12, 3),  # a closed day (booked before it closed)
    ],
)
def test_absence_refused_on_a_day_without_booking_to_cancel(
    client, parent, activities, illness, day
):
    user, household, child = parent
    book(child, activities[1], datetime.date(2026, 12, 3))
    ClosedDay.objects.create(date=datetime.date(2026, 12, 3), reason="Journée pédagogique")
    sr, url = _absence(client, parent, activities, illness)
    html = client.post(
        url, {"reason": illness.pk, "date": day.isoformat(), "activities": [activities[1].pk]}
    ).content.decode()
    assert "aucune réservation que le service peut encore annuler" in html
    assert f'value="{day.isoformat()}"' in html
    sr.refresh_from_db()
    assert "date" not in sr.draft_data


def test_absence_offers_the_booked_slots_of_the_day_only(client, parent, activities, illness):
    user, household, child = parent
    book(child, activities[1], MONDAY)
    book(child, activities[2], MONDAY)
    sr, url = _absence(client, parent, activities, illness)
    html = client.post(url, {"reason": illness.pk, "date": MONDAY.isoformat()}).content.decode()
    assert "Cochez les créneaux à retirer parmi ceux réservés ce jour-là." in html
    assert activities[1].name in html and activities[2].name in html
    assert activities[0].name not in html and activities[3].name not in html
    # A slot not booked that day is not a valid choice.
    html = client.post(
        url,
        {"reason": illness.pk, "date": MONDAY.isoformat(), "activities": [activities[0].pk]},
    ).content.decode()
    assert "errorlist" in html
    client.post(
        url,
        {"reason": illness.pk, "date": MONDAY.isoformat(), "activities": [activities[1].pk]},
    )
    sr.refresh_from_db()
    assert sr.draft_data["activities"] == [activities[1].pk]


# --- enrolment documents -------------------------------------------------------------------


def test_enrolment_asks_for_the_documents_of_the_child_concerned(client, parent):
    user, household, lea = parent
    hugo = ChildFactory(household=household, first_name="Hugo")
    DocumentTypeFactory(name="Carnet de vaccination", concerns=Concerns.CHILD)
    DocumentTypeFactory(name="Justificatif de domicile", concerns=Concerns.HOUSEHOLD)
    procedure = get_procedure("inscription-scolaire")
    client.force_login(user)
    base = {"school": lea.school.pk, "level": "CE2"}
    sr = services.start_draft(procedure, household, user, {**base, "child": str(hugo.pk)}, step=1)
    html = client.get(reverse("procedures:review", args=[sr.pk])).content.decode()
    assert "Carnet de vaccination" in html and "– Hugo" in html
    assert f"– {lea.first_name}" not in html
    assert "Justificatif de domicile" in html
    sr.delete()
    new = {**base, "child": "new", "first_name": "Zoé", "last_name": "Martin"}
    new["birth_date"] = "2020-03-01"
    sr = services.start_draft(procedure, household, user, new, step=1)
    html = client.get(reverse("procedures:review", args=[sr.pk])).content.decode()
    assert f"– {lea.first_name}" not in html and "– Hugo" not in html
    assert "Les justificatifs concernant Zoé seront demandés" in html
    assert "Justificatif de domicile" in html


# --- confirmation before cancelling or deleting ---------------------------------------------


def test_cancel_the_request_asks_first_without_javascript(client, parent, activities, illness):
    user, household, child = parent
    PickupFactory(child=child)
    sr, url, _r = _pickups(client, parent)
    abandon = reverse("procedures:abandon", args=[sr.pk])
    page = client.post(abandon)
    html = page.content.decode()
    assert page.status_code == 200 and "Annuler cette demande" in html
    assert 'name="confirmed" value="1"' in html
    assert ServiceRequest.objects.filter(pk=sr.pk).exists()
    client.post(abandon, {"confirmed": "1"})
    assert not ServiceRequest.objects.filter(pk=sr.pk).exists()

    sr, url, _r = _pickups(client, parent)
    client.post(url, {**NEW, "first_name": "Anne", "last_name": "Petit"})
    client.post(url, {"submit": "1"})
    cancel = reverse("procedures:cancel", args=[sr.pk])
    assert "Annuler la demande" in client.post(cancel).content.decode()
    sr.refresh_from_db()
    assert sr.status == Status.PENDING
    client.post(cancel, {"confirmed": "1"})
    sr.refresh_from_db()
    assert sr.status == Status.CANCELLED


def test_deleting_a_contact_asks_first(client, parent):
    user, household, child = parent
    contact = Contact.objects.create(household=household, channel="phone", value="0611223344")
    client.force_login(user)
    url = reverse("accounts:delete_contact", args=[contact.pk])
    assert "Supprimer le contact 0611223344" in client.post(url).content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()
    client.post(url, {"confirmed": "1"})
    assert not Contact.objects.filter(pk=contact.pk).exists()
