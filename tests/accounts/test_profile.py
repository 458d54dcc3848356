import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from portail.accounts.models import ClosureRequest, User
from portail.core.models import AuditEvent
from portail.families.models import Adult, Child, Contact
from tests.factories import PASSWORD, AgentFactory, make_parent


@pytest.fixture
def signed_in(client, parent):
    client.force_login(parent[0])
    return parent


@pytest.mark.django_db
def test_profile_shows_addresses_household_contacts_and_documents(client, signed_in):
    user, household, child = signed_in
    html = client.get("/compte/profil/").content.decode()
    for text in [
        "Mon profil",
        "Adresses",
        "Mon foyer",
        child.first_name,
        "Contacts",
        "Mes justificatifs",
        "options",
    ]:
        assert text in html


@pytest.mark.django_db
def test_another_familys_child_adult_or_contact_gives_404(client, signed_in):
    _, other_household, other_child = make_parent()
    contact = Contact.objects.create(household=other_household, channel="phone", value="0600000000")
    adult = other_household.adults.get()
    assert client.get(f"/compte/profil/enfants/{other_child.pk}/").status_code == 404
    assert (
        client.post(f"/compte/profil/enfants/{other_child.pk}/", {"first_name": "X"}).status_code
        == 404
    )
    assert client.get(f"/compte/profil/adultes/{adult.pk}/").status_code == 404
    assert client.get(f"/compte/profil/contacts/{contact.pk}/").status_code == 404
    assert client.post(f"/compte/profil/contacts/{contact.pk}/supprimer/").status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.django_db
def test_edit_child_keeps_input_on_error_and_saves_on_success(client, signed_in):
    _, household, child = signed_in
    url = f"/compte/profil/enfants/{child.pk}/"
    data = {
        "last_name": "Martin",
        "first_name": "Léa",
        "birth_date": "2099-01-01",
        "level": "CE2",
        "allergies": "Arachide",
        "no_pork": "on",
    }
    html = client.post(url, data).content.decode()
    assert "La date de naissance ne peut pas être dans le futur." in html
    assert 'value="Arachide"' in html
    child.refresh_from_db()
    assert child.first_name != "Léa"
    data["birth_date"] = "2018-03-14"
    assert client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert (child.first_name, child.no_pork, child.gluten_free, child.allergies) == (
        "Léa",
        True,
        False,
        "Arachide",
    )


@pytest.mark.django_db
def test_add_child_adult_contact_and_address(client, signed_in):
    user, household, _ = signed_in
    client.post(
        "/compte/profil/enfants/ajouter/",
        {"last_name": "Martin", "first_name": "Hugo", "birth_date": "02/09/2021", "level": "MS"},
    )
    assert Child.objects.filter(household=household, first_name="Hugo").exists()
    client.post(
        "/compte/profil/adultes/ajouter/",
        {
            "last_name": "Martin",
            "first_name": "Thomas",
            "relationship": "father",
            "phone": "06 12 34 56 78",
        },
    )
    assert Adult.objects.filter(household=household, first_name="Thomas").exists()
    html = client.post(
        "/compte/profil/contacts/ajouter/", {"channel": "email", "value": "pas-un-email"}
    ).content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    client.post(
        "/compte/profil/contacts/ajouter/",
        {"channel": "email", "value": "Travail@Example.TEST", "label": "Travail"},
    )
    assert Contact.objects.get(household=household).value == "travail@example.test"
    html = client.post(
        "/compte/profil/adresse/", {"address_line1": "", "postcode": "74", "city": "Viry"}
    ).content.decode()
    assert "Ce champ est obligatoire." in html and "code postal de 5 chiffres" in html
    client.post(
        "/compte/profil/adresse/",
        {"address_line1": "8 rue des Tilleuls", "postcode": "74580", "city": "Viry"},
    )
    household.refresh_from_db()
    assert household.address_line1 == "8 rue des Tilleuls"


@pytest.mark.django_db
def test_change_username_asks_current_password_and_mails_a_confirmation(client, signed_in):
    user, _, _ = signed_in
    html = client.post(
        "/compte/profil/identifiant/", {"username": "Nouveau.Nom", "password": "wrong"}
    ).content.decode()
    assert "Le mot de passe actuel n&#x27;est pas correct." in html
    client.post("/compte/profil/identifiant/", {"username": "Nouveau.Nom", "password": PASSWORD})
    user.refresh_from_db()
    assert user.username == "nouveau.nom"
    assert mail.outbox[-1].subject == "Votre identifiant a été modifié"
    assert "nouveau.nom" in mail.outbox[-1].body


@pytest.mark.django_db
def test_lost_identifier_mails_it_and_says_the_same_for_unknown_addresses(client, parent):
    user, _, _ = parent
    known = client.post(
        "/compte/oubli/identifiant/", {"email": user.email.upper()}
    ).content.decode()
    unknown = client.post(
        "/compte/oubli/identifiant/", {"email": "nobody@example.test"}
    ).content.decode()
    assert known == unknown
    (message,) = mail.outbox
    assert message.to == [user.email] and user.username in message.body


@pytest.mark.django_db
def test_password_reset_says_the_same_for_unknown_addresses(client, parent):
    user, _, _ = parent
    r1 = client.post("/compte/password/reset/", {"email": user.email.upper()})
    r2 = client.post("/compte/password/reset/", {"email": "nobody@example.test"})
    assert r1["Location"] == r2["Location"]
    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.mark.django_db
def test_my_data_export_collects_every_app(client, signed_in):
    user, household, child = signed_in
    response = client.get("/compte/donnees/telecharger/")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["accounts"]["accounts"][0]["identifier"] == user.username
    assert data["families"]["children"][0]["first_name"] == child.first_name
    assert "religion" not in response.content.decode()


@pytest.mark.django_db
def test_closure_request_confirmed_by_an_agent(client, signed_in):
    user, household, _ = signed_in
    client.post("/compte/donnees/fermeture/", {"reason": "Déménagement", "confirm": "on"})
    closure = ClosureRequest.objects.get()
    agent = AgentFactory()
    client.force_login(agent)
    assert "Déménagement" in client.get("/gestion/comptes/").content.decode()
    client.post(f"/gestion/comptes/fermetures/{closure.pk}/")
    user.refresh_from_db()
    assert not user.is_active and user.email == "" and not user.has_usable_password()
    assert household.adults.filter(user=None).exists()  # the household and its records stay
    assert AuditEvent.objects.filter(action="accounts.closure_confirmed").exists()
    assert mail.outbox[-1].subject == "Votre compte a été fermé"


@pytest.mark.django_db
def test_agent_resends_activation_and_sees_state(client):
    client.post(
        "/compte/signup/",
        {
            "username": "newbie",
            "email": "newbie@example.test",
            "password1": "Jardin-Bleu-2026",
            "password2": "Jardin-Bleu-2026",
            "last_name": "Neuf",
            "first_name": "Nina",
            "phone": "0611223344",
            "address_line1": "1 rue",
            "postcode": "74580",
            "city": "Viry",
            "accept_terms": "on",
        },
    )
    newbie = User.objects.get(username="newbie")
    client.force_login(AgentFactory())
    html = client.get("/gestion/comptes/?q=NEWBIE").content.decode()
    assert "non activé" in html
    client.post(f"/gestion/comptes/{newbie.pk}/activation/")
    assert len(mail.outbox) == 2 and "/confirm-email/" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="accounts.activation_resent").exists()


@pytest.mark.django_db
def test_agent_pages_refuse_parents(client, signed_in):
    assert client.get("/gestion/comptes/").status_code == 403


@pytest.mark.django_db
def test_email_change_is_confirmed_before_replacing_the_old_one(client, signed_in):
    user, _, _ = signed_in
    old = user.email
    client.post(
        "/compte/email/",
        {"action_add": "", "email": "Nouvelle@Example.TEST", "password": PASSWORD},
    )
    user.refresh_from_db()
    assert user.email == old
    link = next(w for w in mail.outbox[-1].body.split() if "/confirm-email/" in w)
    assert mail.outbox[-1].to == ["nouvelle@example.test"]
    client.get(link)
    user.refresh_from_db()
    assert user.email == "nouvelle@example.test"
    assert not EmailAddress.objects.filter(email=old).exists()


@pytest.mark.django_db
def test_an_agent_without_household_reaches_options_from_my_profile(client):
    client.force_login(AgentFactory())
    response = client.get("/compte/profil/")
    assert response.status_code == 302 and response["Location"] == "/compte/profil/options/"
    assert client.get("/compte/profil/enfants/ajouter/").status_code == 404
