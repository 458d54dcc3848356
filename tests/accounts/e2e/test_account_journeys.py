"""Browser journeys of « Mon compte » (FAQ §2), reading the mails the portal really sends."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portail.accounts.models import User
from tests.conftest import assert_accessible, login
from tests.factories import PASSWORD, AgentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def field(page, label):
    """The field labelled exactly `label` (« * » and « (obligatoire) » aside)."""
    return page.get_by_label(
        re.compile(rf"^{re.escape(label)}\s*\*?\s*(\(obligatoire\))?$", re.IGNORECASE)
    )


def link_in(mail, fragment):
    return next(w for w in re.findall(r"https?://\S+", mail["body"]) if fragment in w)


def test_sign_up_activate_and_log_in(page, mailbox):
    page.goto("/")
    page.get_by_role("link", name="connexion").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="créer mon compte").click()
    expect(page.get_by_role("heading", name="Créer mon compte")).to_be_visible()
    assert page.get_by_text(
        "Les champs signalés par un astérisque «\u00a0*\u00a0» sont obligatoires."
    ).is_visible()
    assert_accessible(page)
    field(page, "Identifiant").fill("Paul.Durand")
    field(page, "Adresse e-mail").fill("Paul.Durand@Example.TEST")
    field(page, "Mot de passe").fill("paul")
    field(page, "Mot de passe (confirmation)").fill("paul")
    field(page, "Nom").fill("Durand")
    field(page, "Prénom").fill("Paul")
    field(page, "Téléphone").fill("06 11 22 33 44")
    field(page, "Adresse").fill("3 rue des Lilas")
    field(page, "Code postal").fill("74580")
    field(page, "Ville").fill("Viry")
    page.get_by_role("button", name="valider").click()
    # French messages beside the fields; nothing typed is lost.
    expect(page.get_by_text("Le mot de passe doit contenir au moins 8 caractères.")).to_be_visible()
    assert page.get_by_text(
        "Vous devez accepter les conditions générales d'utilisation"
    ).is_visible()
    assert field(page, "Ville").input_value() == "Viry"
    assert_accessible(page)
    field(page, "Mot de passe").fill("Jardin-Bleu-2026")
    field(page, "Mot de passe (confirmation)").fill("Jardin-Bleu-2026")
    page.get_by_label("J'ai lu et j'accepte", exact=False).check()
    page.get_by_role("button", name="valider").click()
    expect(page.get_by_role("heading", name="Consultez vos e-mails")).to_be_visible()
    assert_accessible(page)
    # Not activated yet: login is refused.
    login(page, "paul.durand", "Jardin-Bleu-2026")
    assert not page.get_by_role("button", name="Se déconnecter").is_visible()
    mail = mailbox.last("paul.durand@example.test")
    assert mail["subject"] == "Activez votre compte sur le portail famille"
    page.goto(link_in(mail, "/confirm-email/"))
    expect(page.get_by_role("heading", name="connexion")).to_be_visible()
    expect(page.get_by_text("Votre compte est activé. Connectez-vous")).to_be_visible()
    assert_accessible(page)
    login(page, "PAUL.DURAND@example.test", "Jardin-Bleu-2026")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    # Logout ends the session.
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto("/compte/profil/")
    assert "/compte/login/" in page.url


def test_expired_or_wrong_activation_link_page(page):
    page.goto("/compte/confirm-email/not-a-key/")
    expect(page.get_by_text("Ce lien a expiré ou n'est pas valide.")).to_be_visible()
    assert_accessible(page)


def test_lockout_message_and_agent_unlock(page, parent):
    user, _, _ = parent
    for login_text in [user.username, user.email.upper(), user.username, user.email, user.username]:
        login(page, login_text, "Wrong-Pass-1")
    expect(page.get_by_role("heading", name="Compte bloqué")).to_be_visible()
    expect(page.get_by_role("link", name="Nous contacter").first).to_be_visible()
    assert_accessible(page)
    login(page, user.username, PASSWORD)
    expect(page.get_by_role("heading", name="Compte bloqué")).to_be_visible()
    # An agent finds the account, sees it blocked and unlocks it.
    agent = AgentFactory()
    context = page.context.browser.new_context(base_url=page.url.split("/compte")[0])
    agent_page = context.new_page()
    try:
        login(agent_page, agent.username)
        agent_page.goto("/gestion/comptes/")
        assert_accessible(agent_page)
        field(agent_page, "Identifiant, e-mail ou nom").fill(user.email.upper())
        agent_page.locator("#contenu").get_by_role("button", name="Rechercher").click()
        expect(agent_page.get_by_text("bloqué", exact=True).first).to_be_visible()
        agent_page.get_by_role("link", name=user.username).first.click()
        assert_accessible(agent_page)
        agent_page.get_by_role("button", name="Débloquer").click()
        expect(agent_page.get_by_text(f"Le compte {user.username} est débloqué.")).to_be_visible()
    finally:
        context.close()
    login(page, user.username, PASSWORD)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_lost_identifier_and_password(page, parent, mailbox):
    user, _, _ = parent
    page.goto("/compte/login/")
    page.get_by_role("link", name="Mot de passe ou identifiant oublié").click()
    assert_accessible(page)
    page.get_by_role("link", name="J'ai perdu mon identifiant").click()
    assert_accessible(page)
    field(page, "Adresse e-mail").fill(user.email.upper())
    page.get_by_role("button", name="Envoyer mon identifiant").click()
    expect(page.get_by_text("Si un compte utilise cette adresse")).to_be_visible()
    assert_accessible(page)
    assert user.username in mailbox.last(user.email)["body"]

    page.goto("/compte/oubli/")
    page.get_by_role("link", name="J'ai perdu mon mot de passe").click()
    assert_accessible(page)
    field(page, "Adresse e-mail").fill(user.email.upper())
    page.get_by_role("button", name="Envoyer le lien de réinitialisation").click()
    expect(page.get_by_text("Si un compte utilise cette adresse")).to_be_visible()
    assert_accessible(page)
    link = link_in(mailbox.last(user.email), "/password/reset/key/")
    page.goto(link)
    assert_accessible(page)
    field(page, "Nouveau mot de passe").fill("abc")
    field(page, "Nouveau mot de passe (confirmation)").fill("abc")
    page.get_by_role("button", name="Modifier mon mot de passe").click()
    expect(page.get_by_text("au moins une lettre majuscule")).to_be_visible()
    field(page, "Nouveau mot de passe").fill("Nouveau-Jardin-7")
    field(page, "Nouveau mot de passe (confirmation)").fill("Nouveau-Jardin-7")
    page.get_by_role("button", name="Modifier mon mot de passe").click()
    expect(page.get_by_role("heading", name="Mot de passe modifié")).to_be_visible()
    assert_accessible(page)
    # Single use.
    page.goto(link)
    expect(page.get_by_text("Ce lien n'est pas valide")).to_be_visible()
    assert_accessible(page)
    login(page, user.email, "Nouveau-Jardin-7")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_profile_household_and_options(page, parent, mailbox):
    user, household, child = parent
    login(page, user.username)
    page.get_by_text("Menu", exact=True).click()  # the folded menu of a phone
    page.get_by_role("navigation").get_by_role("link", name="Mon profil").click()
    expect(page.get_by_role("heading", name="Mon profil")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"modifier {child.first_name}").click()
    assert_accessible(page)
    field(page, "Allergies").fill("Arachide")
    field(page, "Date de naissance").fill("2099-01-01")
    page.get_by_role("button", name="mettre à jour").click()
    expect(page.get_by_text("La date de naissance ne peut pas être dans le futur.")).to_be_visible()
    assert field(page, "Allergies").input_value() == "Arachide"
    assert_accessible(page)
    field(page, "Date de naissance").fill("2018-03-14")
    field(page, "sans porc").check()
    page.get_by_role("button", name="mettre à jour").click()
    expect(page.get_by_text("Votre profil a été mis à jour.")).to_be_visible()
    page.get_by_role("link", name="Ajouter un enfant").click()
    field(page, "Nom").fill("Martin")
    field(page, "Prénom").fill("Hugo")
    field(page, "Date de naissance").fill("2021-09-02")
    page.get_by_label("Niveau", exact=False).select_option("MS")
    page.get_by_role("button", name="mettre à jour").click()
    expect(page.get_by_text("Hugo Martin")).to_be_visible()
    page.get_by_role("link", name="Ajouter un téléphone ou un e-mail").click()
    assert_accessible(page)
    page.get_by_label("Type", exact=False).select_option("phone")
    page.get_by_label("Valeur", exact=False).fill("04 50 12 34 56")
    page.get_by_role("button", name="mettre à jour").click()
    expect(page.get_by_role("button", name="supprimer 04 50 12 34 56")).to_be_visible()

    # « options »: password and identifier changes ask the current password, mailed.
    page.get_by_role("link", name="options").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Modifier mon mot de passe").click()
    assert_accessible(page)
    field(page, "Mot de passe actuel").fill("wrong")
    field(page, "Nouveau mot de passe").fill("Nouveau-Jardin-7")
    field(page, "Nouveau mot de passe (confirmation)").fill("Nouveau-Jardin-7")
    page.get_by_role("button", name="mettre à jour").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    field(page, "Mot de passe actuel").fill(PASSWORD)
    field(page, "Nouveau mot de passe").fill("Nouveau-Jardin-7")
    field(page, "Nouveau mot de passe (confirmation)").fill("Nouveau-Jardin-7")
    page.get_by_role("button", name="mettre à jour").click()
    assert "mot de passe" in mailbox.last(user.email)["body"].lower()

    page.goto("/compte/profil/identifiant/")
    assert_accessible(page)
    field(page, "Nouvel identifiant").fill("Claire.Martin")
    field(page, "Mot de passe actuel").fill("Nouveau-Jardin-7")
    page.get_by_role("button", name="mettre à jour").click()
    expect(page.get_by_text("Votre identifiant a été modifié.")).to_be_visible()
    assert "claire.martin" in mailbox.last(user.email)["body"]

    page.goto("/compte/email/")
    assert_accessible(page)
    field(page, "Nouvelle adresse e-mail").fill("Claire.Nouvelle@Example.TEST")
    field(page, "Mot de passe actuel").fill("Nouveau-Jardin-7")
    page.get_by_role("button", name="mettre à jour").click()
    expect(page.get_by_text("En attente de confirmation")).to_be_visible()
    assert_accessible(page)
    page.goto(link_in(mailbox.last("claire.nouvelle@example.test"), "/confirm-email/"))
    assert User.objects.get(pk=user.pk).email == "claire.nouvelle@example.test"
    assert "claire.nouvelle@example.test" in page.content()


def test_my_data_download_and_closure(page, parent, mailbox):
    user, household, child = parent
    login(page, user.username)
    page.goto("/compte/donnees/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données").click()
    assert child.first_name in Path(download.value.path()).read_text(encoding="utf-8")
    page.get_by_role("button", name="Demander la fermeture de mon compte").click()
    expect(page.get_by_text("Cochez la case pour confirmer votre demande.")).to_be_visible()
    assert_accessible(page)
    field(page, "Je demande la fermeture de mon compte").check()
    page.get_by_role("button", name="Demander la fermeture de mon compte").click()
    expect(page.get_by_text("en attente de la confirmation d'un agent")).to_be_visible()
    assert_accessible(page)


def test_logout_page(page, parent):
    login(page, parent[0].username)
    page.goto("/compte/logout/")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="connexion").first).to_be_visible()


def test_agent_confirms_a_closure_request(page, parent, mailbox):
    from portail.accounts.services import request_closure

    user, household, _ = parent
    request_closure(user, "Déménagement")
    agent = AgentFactory()
    login(page, agent.username)
    page.goto("/gestion/comptes/")
    expect(page.get_by_text("Déménagement")).to_be_visible()
    page.get_by_role("button", name=f"Confirmer la fermeture {user.username}").click()
    expect(page.get_by_text(f"Le compte {user.username} est fermé.")).to_be_visible()
    assert_accessible(page)
    assert mailbox.last(user.email)["subject"] == "Votre compte a été fermé"
    page.get_by_role("button", name="Se déconnecter").click()
    login(page, user.username)
    assert not page.get_by_role("button", name="Se déconnecter").is_visible()


def test_agent_resends_the_activation_mail(page, mailbox):
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    newcomer = UserFactory(username="nouveau.parent")
    EmailAddress.objects.filter(user=newcomer).update(verified=False)
    login(page, AgentFactory().username)
    page.goto("/gestion/comptes/?q=NOUVEAU")
    expect(page.get_by_text("non activé")).to_be_visible()
    page.get_by_role("link", name="nouveau.parent").click()
    page.get_by_role("button", name="Renvoyer l'e-mail d'activation").click()
    expect(page.get_by_text("L'e-mail d'activation a été renvoyé.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(link_in(mailbox.last(newcomer.email), "/confirm-email/"))
    login(page, "nouveau.parent")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
