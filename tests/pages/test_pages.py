import pytest
from django.urls import reverse

from portail.messaging.models import OutboundEmail
from portail.pages.models import ContactMessage

PUBLIC_PAGES = [
    "pages:home",
    "pages:help",
    "pages:contact",
    "pages:terms",
    "pages:legal",
    "pages:accessibility",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_is_french_and_branded(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html
    assert "Viry" in html
    assert "Nous contacter" in html


@pytest.mark.django_db
def test_home_offers_login_and_sign_up_when_signed_out(client):
    html = client.get("/").content.decode()
    assert "connexion" in html
    assert "créer mon compte" in html
    assert "mise à jour de mes informations" in html


@pytest.mark.django_db
def test_contact_form_reaches_the_service(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pages:contact"),
            {
                "name": "Paul Durand",
                "email": "Paul@Example.TEST",
                "subject": "Cantine",
                "body": "Bonjour",
            },
        )
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.email == "paul@example.test"
    mail = OutboundEmail.objects.get()
    assert mail.to == "periscolaire@mairie-viry.fr"
    assert "Cantine" not in mail.subject  # the sender's words stay in the body
    assert "Objet\u00a0: Cantine" in mail.body and "Bonjour" in mail.body
    assert mail.status == OutboundEmail.Status.SENT


@pytest.mark.django_db
def test_contact_form_keeps_input_and_explains_errors(client):
    response = client.post(
        reverse("pages:contact"), {"name": "Paul", "email": "pas-un-mail", "body": "Texte"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in html
    assert "Ce champ est obligatoire." in html  # subject
    assert 'value="Paul"' in html and "Texte" in html
    assert not ContactMessage.objects.exists()


@pytest.mark.django_db
def test_theme_css_carries_the_town_colours(client):
    from portail.core.models import TownSettings

    town = TownSettings.current()
    town.primary_colour = "#123456"
    town.save()
    css = client.get(reverse("core:theme_css")).content.decode()
    assert "--primary: #123456" in css


@pytest.mark.django_db
def test_unknown_page_is_a_french_404(client):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_contact_form_refuses_a_4_mb_message_beside_the_field(client):
    response = client.post(
        reverse("pages:contact"),
        {"name": "Paul", "email": "paul@example.test", "subject": "Hi", "body": "x" * 4_000_000},
    )
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur comporte au plus 5000 caractères" in response.text
    assert not ContactMessage.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_contact_form_is_limited_per_address_and_per_client(client):
    def send(email):
        return client.post(
            reverse("pages:contact"),
            {"name": "Paul", "email": email, "subject": "Hi", "body": "Hello"},
        )

    assert send("paul@example.test").status_code == 302
    again = send("paul@example.test")  # the same address at once: a message beside the field
    assert again.status_code == 200 and "Un message de cette adresse vient d" in again.text
    answers = [send(f"user{i}@example.test").status_code for i in range(10)]
    assert answers[-1] == 429  # then the client itself is slowed down
    assert ContactMessage.objects.count() == answers.count(302) + 1
    assert OutboundEmail.objects.count() == ContactMessage.objects.count()
    # The service's mail never carries the sender's subject as its own.
    assert all(m.subject.startswith("[Contact] Message n°") for m in OutboundEmail.objects.all())
