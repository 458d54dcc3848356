import datetime
import re

import pytest
import time_machine
from django.core import mail

from portail.accounts.models import User
from portail.families.models import Adult, Household
from portail.imports.models import Invitation
from tests.accounts.test_signup import SIGNUP
from tests.factories import AgentFactory, CashierFactory, UserFactory
from tests.imports.conftest import import_file

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC)


def link_in(message) -> str:
    return re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)


@pytest.fixture
def imported(admin_user, schools, arpege, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(START, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        import_file(arpege, "households", "arpege-familles.csv", admin_user)
        import_file(arpege, "children", "arpege-enfants.csv", admin_user)
    return Adult.objects.get(email="elodie.lefevre@example.org")


def the_mail_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_invitation_mail_is_french_and_only_the_hash_is_stored(imported):
    (message,) = the_mail_to("elodie.lefevre@example.org")
    assert message.subject == (
        "Votre portail famille\u00a0: choisissez votre identifiant et votre mot de passe"
    )
    assert "Famille Lefèvre" in message.body and "15/09/2026" in message.body
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(adult=imported)
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_accepting_makes_the_account_of_the_imported_household(client, imported):
    link = link_in(the_mail_to("elodie.lefevre@example.org")[0])
    with time_machine.travel(START + datetime.timedelta(days=13), tick=False):
        page = client.get(link)
        assert "Famille Lefèvre" in page.content.decode()
        response = client.post(
            link,
            {"username": "elodie", "password1": "Lac-Leman-2026", "password2": "Lac-Leman-2026"},
        )
        assert response.status_code == 302 and response["Location"] == "/invitation/bienvenue/"
        page = client.get("/invitation/bienvenue/").content.decode()
    assert "Théo" in page and "Inès" in page and "25,40\xa0€" in page
    user = User.objects.get(username="elodie")
    assert user.adult == imported and user.emailaddress_set.get().verified
    assert Household.objects.count() == 4  # no second household
    # The link is used once.
    client.logout()
    assert client.get(link).status_code == 404


def test_invitation_expires_after_14_days_and_a_resent_one_works(client, imported):
    link = link_in(the_mail_to("elodie.lefevre@example.org")[0])
    with time_machine.travel(START + datetime.timedelta(days=14, seconds=1), tick=False):
        response = client.get(link)
        assert response.status_code == 404
        assert "plus de 14 jours" in response.content.decode()
        # An agent sends it again: a fresh link valid 14 days, the old one stays dead.
        client.force_login(AgentFactory())
        invitation = Invitation.objects.get(adult=imported)
        mail.outbox.clear()
        response = client.post(f"/gestion/import/invitations/{invitation.pk}/renvoyer/")
        assert response.status_code == 302
        client.logout()
    with time_machine.travel(START + datetime.timedelta(days=20), tick=False):
        invitation.refresh_from_db()
        assert invitation.times_sent == 2
        assert invitation.expires_at == START + datetime.timedelta(days=28, seconds=1)
        assert client.get(link).status_code == 404


def test_signup_with_an_imported_email_gets_the_invitation_again(
    client, imported, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    data = {**SIGNUP, "email": "Elodie.Lefevre@example.org", "username": "elodie2"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/signup/", data)
    # The same answer as any sign-up (nothing more revealed to a stranger)...
    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"
    # ...no account and no second household, and a fresh invitation in the mailbox.
    assert not User.objects.filter(username="elodie2").exists()
    assert Household.objects.count() == 4
    (message,) = mail.outbox
    assert "identifiant" in message.subject and "Famille Lefèvre" in message.body
    assert Invitation.objects.get(adult=imported).times_sent == 2
    assert client.get(link_in(message)).status_code == 200
    page = client.get("/compte/confirm-email/").content.decode()
    assert "Si votre famille est déjà connue du service" in page


def test_a_normal_signup_still_creates_its_household(client, imported):
    response = client.post("/compte/signup/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/compte/confirm-email/"
    assert User.objects.filter(username="camille.durand").exists()


def test_adults_without_email_are_listed_for_the_service(client, imported):
    client.force_login(AgentFactory())
    page = client.get("/gestion/import/sans-email/").content.decode()
    assert "Noël Lefèvre" in page and "Zoé Gaël" in page
    assert "Élodie" not in page
    csv = client.get("/gestion/import/sans-email/?format=csv").content.decode("utf-8-sig")
    assert "Famille Gaël;Gaël;Zoé;04 50 00 00 01" in csv
    page = client.get("/gestion/import/invitations/").content.decode()
    assert "elodie.lefevre@example.org" in page and "Renvoyer" in page


@pytest.mark.parametrize(
    "url",
    [
        "/gestion/import/",
        "/gestion/import/correspondances/ajouter/",
        "/gestion/import/fichiers/1/",
    ],
)
def test_only_the_administrator_imports(client, admin_user, url):
    assert client.get(url).status_code == 302  # to the login page
    for user in (UserFactory(), AgentFactory(), CashierFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(admin_user)
    assert client.get(url).status_code in (200, 404)


def test_parents_cannot_see_the_invitations(client, imported):
    client.force_login(UserFactory())
    assert client.get("/gestion/import/invitations/").status_code == 403
    assert client.get("/gestion/import/sans-email/").status_code == 403


def test_the_pages_of_a_run(
    client, admin_user, schools, arpege, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.imports.conftest import SAMPLES

    client.force_login(admin_user)
    assert "Arpège" in client.get("/gestion/import/").content.decode()
    upload = SimpleUploadedFile("familles.csv", (SAMPLES / "arpege-familles.csv").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/gestion/import/",
            {"mapping": arpege.pk, "kind": "households", "file": upload},
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "vérifié, en attente de confirmation" in page and "Confirmer l'import" in page
    assert "foyer «\u00a0Famille Lefèvre\u00a0» créé" in page
    assert Household.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"] + "confirmer/")
    page = client.get(response["Location"]).content.decode()
    assert "importé" in page and Household.objects.count() == 4
    # A wrong file type is refused beside the field, nothing kept.
    upload = SimpleUploadedFile("familles.pdf", b"%PDF-1.4")
    page = client.post(
        "/gestion/import/", {"mapping": arpege.pk, "kind": "households", "file": upload}
    ).content.decode()
    assert "Un fichier CSV, XLSX ou ODS est attendu." in page


def test_mapping_page_refuses_an_unknown_field(client, admin_user, arpege):
    client.force_login(admin_user)
    page = client.post(
        f"/gestion/import/correspondances/{arpege.pk}/",
        {"name": "Arpège", "date_format": "%d/%m/%Y", "mapping": '{"households": {"nom": "X"}}'},
    ).content.decode()
    assert "Champ «\u00a0nom\u00a0» inconnu pour «\u00a0households\u00a0»." in page
    arpege.refresh_from_db()
    assert "household_id" in arpege.mapping["households"]


def test_a_run_in_progress_shows_its_progress_bar(client, admin_user, arpege):
    from django.core.cache import cache
    from django.core.files.base import ContentFile

    from portail.imports.models import ImportRun
    from portail.imports.selectors import progress_key

    run = ImportRun(mapping=arpege, kind="households", file_name="f.csv", total=200)
    run.file.save("f.csv", ContentFile(b"x"), save=False)
    run.status = ImportRun.Status.RUNNING
    run.save()
    cache.set(progress_key(run.pk), 50)
    client.force_login(admin_user)
    page = client.get(f"/gestion/import/fichiers/{run.pk}/").content.decode()
    assert '<progress id="run-progress" max="200" value="50">' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    run.status = ImportRun.Status.DONE
    run.save()
    page = client.get(f"/gestion/import/fichiers/{run.pk}/").content.decode()
    assert "<progress" not in page and "http-equiv" not in page


def test_the_csv_lists_start_no_formula(client, admin_user, arpege):
    content = "N° famille;Nom famille;Nom resp. 1;Prénom resp. 1\nF1;=1+2;@SUM;Ana\n".encode()
    import_file(arpege, "households", "f.csv", admin_user, content=content)
    client.force_login(admin_user)
    csv = client.get("/gestion/import/sans-email/?format=csv").content.decode("utf-8-sig")
    assert "'=1+2;'@SUM;Ana" in csv
    run = arpege.runs.get(status="done")
    report = client.get(f"/gestion/import/fichiers/{run.pk}/rapport.csv").content.decode()
    assert "foyer «\u00a0=1+2\u00a0» créé" in report  # inside the cell, not at its start


def test_the_demo_loads_the_sample_mappings(db):
    from io import StringIO

    from portail.imports import demo
    from portail.imports.models import SourceMapping

    demo.load(StringIO())
    demo.load(StringIO())  # idempotent
    assert sorted(SourceMapping.objects.values_list("name", flat=True)) == ["Arpège", "Technocarte"]
