import datetime
import os
from decimal import Decimal

import pytest
from django.core.management import call_command

from portail.billing.models import LedgerEntry
from portail.core.models import AuditEvent
from portail.families.models import Adult, Child, Household
from portail.imports import execution, services
from portail.imports.models import ImportRun, Invitation
from tests.imports.conftest import SAMPLES, check, confirm, import_file

pytestmark = pytest.mark.django_db


def balances():
    return {
        h.name: (h.prepaid_account.balance if hasattr(h, "prepaid_account") else None)
        for h in Household.objects.all()
    }


def snapshot():
    return (
        Household.objects.count(),
        Adult.objects.count(),
        Child.objects.count(),
        LedgerEntry.objects.count(),
        Invitation.objects.count(),
        sorted(Household.objects.values_list("name", "family_quotient", "city")),
    )


def test_arpege_sample_households_then_children(
    admin_user, schools, arpege, mailbox, django_capture_on_commit_callbacks
):
    run = check(
        arpege,
        "households",
        "arpege-familles.csv",
        (SAMPLES / "arpege-familles.csv").read_bytes(),
        admin_user,
    )
    # The dry run announces, per line, what the real run would do, and writes nothing.
    assert run.status == ImportRun.Status.CHECKED
    assert "Windows-1252" in run.detected and "«\u00a0;\u00a0»" in run.detected
    assert run.counts == {"created": 4}
    assert Household.objects.count() == 0 and LedgerEntry.objects.count() == 0
    first = run.lines[0]
    assert first["action"] == "created"
    assert "foyer «\u00a0Famille Lefèvre\u00a0» créé" in first["details"]
    assert "«\u00a0Solde repris\u00a0» de 25,40\u00a0€ au 31/08/2026" in first["details"]
    assert "invitation envoyée à elodie.lefevre@example.org" in first["details"]

    # The confirmed run goes through the background task (run at once by the test backend).
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, admin_user)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert balances() == {
        "Famille Lefèvre": Decimal("25.40"),
        "Famille Müller": Decimal("-12.80"),
        "Famille Gaël": None,  # a zero balance carries nothing over
        "Famille Dubois-Périer": Decimal("103.00"),
    }
    entry = LedgerEntry.objects.get(account__household__name="Famille Lefèvre")
    assert (entry.label, entry.date, entry.source) == (
        "Solde repris",
        datetime.date(2026, 8, 31),
        "opening",
    )
    assert Household.objects.get(name="Famille Müller").negative_balance_since is not None
    assert Household.objects.get(name="Famille Lefèvre").family_quotient == 620
    gael = Adult.objects.get(last_name="Gaël")
    assert (gael.first_name, gael.relationship, gael.email) == ("Zoé", "guardian", "")
    # Three adults with an e-mail, three invitations mailed (the one without is listed).
    assert Invitation.objects.count() == 4  # Lefèvre, Müller, Dubois, Périer
    assert len(mailbox.to("elodie.lefevre@example.org")) == 1
    assert AuditEvent.objects.filter(action="imports.imported").count() == 1

    run = import_file(arpege, "children", "arpege-enfants.csv", admin_user)
    assert run.counts == {"created": 5}
    theo = Child.objects.get(first_name="Théo")
    assert (theo.household.name, theo.level, theo.has_pai, theo.allergies, theo.school.name) == (
        "Famille Lefèvre",
        "GS",
        True,
        "arachide",
        "École du Chef-Lieu",
    )
    assert theo.birth_date == datetime.date(2020, 11, 2)
    call_command("check_ledger")  # raises on any discrepancy


def test_technocarte_xlsx_sample(admin_user, schools, technocarte):
    run = import_file(technocarte, "households", "technocarte-foyers.xlsx", admin_user)
    assert run.detected == "XLSX"
    assert run.counts == {"created": 3}
    assert balances() == {
        "MARTINEAU": Decimal("42.50"),
        "BERNARD": Decimal("-5.00"),
        "NGUYEN": None,
    }
    assert Household.objects.get(name="MARTINEAU").family_quotient == 780
    run = import_file(technocarte, "children", "technocarte-enfants.xlsx", admin_user)
    assert run.counts == {"created": 3}
    yasmine = Child.objects.get(first_name="Yasmine")
    assert (yasmine.household.name, yasmine.birth_date, yasmine.has_pai, yasmine.level) == (
        "BERNARD",
        datetime.date(2017, 12, 24),
        True,
        "CM1",
    )
    call_command("check_ledger")


def test_reimport_changes_nothing(admin_user, schools, arpege, mailbox):
    import_file(arpege, "households", "arpege-familles.csv", admin_user)
    import_file(arpege, "children", "arpege-enfants.csv", admin_user)
    before, mails = snapshot(), len(mailbox)
    run = import_file(arpege, "households", "arpege-familles.csv", admin_user)
    assert run.counts == {"unchanged": 4}
    run = import_file(arpege, "children", "arpege-enfants.csv", admin_user)
    assert run.counts == {"unchanged": 5}
    assert snapshot() == before
    assert LedgerEntry.objects.filter(label="Solde repris").count() == 3  # no second one
    assert len(mailbox) == mails
    call_command("check_ledger")


def test_reimport_updates_what_changed(admin_user, schools, arpege):
    import_file(arpege, "households", "arpege-familles.csv", admin_user)
    content = (SAMPLES / "arpege-familles.csv").read_bytes().replace(b";620;", b";700;")
    run = import_file(arpege, "households", "again.csv", admin_user, content=content)
    assert run.counts == {"updated": 1, "unchanged": 3}
    assert Household.objects.get(name="Famille Lefèvre").family_quotient == 700
    assert Household.objects.count() == 4


ERRORS = (
    "N° famille;Nom famille;CP;QF;Solde;Date solde;Nom resp. 1;Prénom resp. 1;Courriel resp. 1\n"
    "F1;Famille Un;74580;500;10,00;31/08/2026;Un;Ana;ana@example.org\n"
    ";Famille Sans Id;74580;500;;;Sans;Id;\n"
    "F3;Famille Trois;74580;beaucoup;;;Trois;Léo;\n"
    "F4;Famille Quatre;74580;400;dix euros;31/08/2026;Quatre;Max;\n"
    "F5;Famille Cinq;74580;400;5,00;32/13/2026;Cinq;Eva;\n"
    "F6;Famille Six;74580;400;;;Six;Tom;pas-une-adresse\n"
    "F1;Famille Un Bis;74580;500;;;Un;Bis;\n"
    "F8;;74580;400;;;;;\n"
    "F9;Famille Neuf;74580;400;7,00;;Neuf;Ida;\n"
)


def test_every_kind_of_error_refuses_the_whole_file(admin_user, schools, arpege):
    run = check(arpege, "households", "erreurs.csv", ERRORS.encode("utf-8"), admin_user)
    assert run.status == ImportRun.Status.REFUSED
    reasons = {line["line"]: line["errors"] for line in run.lines if line["errors"]}
    assert reasons == {
        3: ["identifiant du foyer dans l'ancien logiciel\u00a0: valeur manquante"],
        4: [
            "quotient familial\u00a0: «\u00a0beaucoup\u00a0» n'est pas un quotient familial "
            "(un nombre entier d'euros)"
        ],
        5: ["solde repris\u00a0: «\u00a0dix euros\u00a0» n'est pas un montant (par exemple 12,50)"],
        6: [
            "date du solde repris\u00a0: «\u00a032/13/2026\u00a0» n'est pas une date "
            "(par exemple 31/12/2026)"
        ],
        7: [
            "adulte 1\u00a0: e-mail\u00a0: «\u00a0pas-une-adresse\u00a0» "
            "n'est pas une adresse e-mail"
        ],
        8: ["l'identifiant F1 est déjà à la ligne 2"],
        9: ["nom du foyer\u00a0: valeur manquante (ou le nom de l'adulte 1)"],
        10: ["date du solde repris\u00a0: valeur manquante"],
    }
    # The good line is announced, but the confirmed run is refused: nothing written.
    assert run.lines[0]["action"] == "created"
    with pytest.raises(ValueError):
        confirm(run, admin_user)
    assert Household.objects.count() == 0 and LedgerEntry.objects.count() == 0
    assert Invitation.objects.count() == 0


def test_errors_of_children_and_changed_balance(admin_user, schools, arpege):
    import_file(arpege, "households", "arpege-familles.csv", admin_user)
    children = (
        "N° enfant;N° famille;Nom;Prénom;Né(e) le;École;Niveau;PAI;Allergies\n"
        "E1;F0001;Lefèvre;Jade;01/02/2019;École du Chef-Lieu;CE1;Non;\n"
        "E2;F9999;Inconnu;Paul;01/02/2019;École du Chef-Lieu;CE1;Non;\n"
        "E3;F0001;Lefèvre;Lou;01/02/2019;École de Nulle Part;CE1;Non;\n"
        "E4;F0001;Lefèvre;Max;01/02/2019;École du Chef-Lieu;6e;peut-être;\n"
        "E5;F0001;Lefèvre;Noé;01/02/2099;École du Chef-Lieu;CP;Non;\n"
    )
    run = check(arpege, "children", "enfants.csv", children.encode("cp1252"), admin_user)
    reasons = {line["line"]: line["errors"] for line in run.lines if line["errors"]}
    assert reasons == {
        3: ["foyer F9999 inconnu\u00a0: importez d'abord le fichier des foyers"],
        4: [
            "école «\u00a0École de Nulle Part\u00a0» inconnue\u00a0: "
            "créez-la d'abord dans l'administration"
        ],
        5: [
            "niveau\u00a0: «\u00a06e\u00a0» n'est pas une valeur connue",
            "projet d'accueil individualisé (PAI)\u00a0: «\u00a0peut-être\u00a0» "
            "n'est ni oui ni non",
        ],
        6: ["date de naissance\u00a0: dans le futur"],
    }
    assert Child.objects.count() == 0

    # A balance already carried over is never carried over twice, even with another amount.
    content = (SAMPLES / "arpege-familles.csv").read_bytes().replace(b";25,40;", b";30,00;")
    run = check(arpege, "households", "again.csv", content, admin_user)
    assert run.status == ImportRun.Status.REFUSED
    [line] = [line for line in run.lines if line["errors"]]
    assert "solde déjà repris le 31/08/2026 (25,40\xa0€)" in line["errors"][0]
    assert LedgerEntry.objects.filter(label="Solde repris").count() == 3


@pytest.mark.parametrize(
    ("encoding", "delimiter", "name"),
    [
        ("utf-8", ",", "UTF-8"),
        ("utf-8-sig", ";", "UTF-8"),
        ("cp1252", "\t", "Windows-1252"),
        ("utf-16", "|", "UTF-16"),
        ("latin-1", ";", "Windows-1252"),
    ],
)
def test_encodings_and_delimiters_are_detected(admin_user, arpege, encoding, delimiter, name):
    header = ["N° famille", "Nom famille", "Ville", "Nom resp. 1", "Prénom resp. 1"]
    row = ["F1", "Famille Hélène", "Saint-Julien-en-Genevois", "Hélène", "Maëlle"]
    text = "\n".join(delimiter.join(r) for r in (header, row)) + "\n"
    run = check(arpege, "households", "f.csv", text.encode(encoding), admin_user)
    assert run.status == ImportRun.Status.CHECKED, run.lines
    assert name in run.detected
    assert run.lines[0]["details"][0] == "foyer «\u00a0Famille Hélène\u00a0» créé"


def test_ods_is_read(admin_user, technocarte):
    import tablib

    data = tablib.Dataset(headers=["ID_FOYER", "LIBELLE_FOYER", "RESP1_NOM", "RESP1_PRENOM"])
    data.append(["77", "ODS", "Odile", "Saïd"])
    run = import_file(technocarte, "households", "f.ods", admin_user, content=data.export("ods"))
    assert run.detected == "ODS" and run.counts == {"created": 1}
    assert Adult.objects.get().first_name == "Saïd"


def test_a_file_missing_a_required_column_or_unreadable(admin_user, arpege):
    run = check(arpege, "households", "f.csv", b"Nom famille;Ville\nX;Y\n", admin_user)
    assert run.status == ImportRun.Status.REFUSED
    assert run.error.startswith("Colonnes absentes du fichier\u00a0: N° famille")
    run = check(arpege, "households", "f.xlsx", b"PK\x03\x04garbage", admin_user)
    assert run.status == ImportRun.Status.REFUSED and "tableur" in run.error


@pytest.mark.usefixtures("schools")
def test_future_bookings(admin_user, arpege):
    import time_machine

    from portail.agenda.models import Booking
    from portail.families.models import School
    from tests.agenda.factories import make_activities

    for school in School.objects.all():
        make_activities(school)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)):
        import_file(arpege, "households", "arpege-familles.csv", admin_user)
        import_file(arpege, "children", "arpege-enfants.csv", admin_user)
        run = import_file(arpege, "bookings", "arpege-reservations.csv", admin_user)
        assert run.counts == {"created": 4}
        assert Booking.objects.filter(child__first_name="Inès", activity__kind="lunch").count() == 2
        run = import_file(arpege, "bookings", "arpege-reservations.csv", admin_user)
        assert run.counts == {"unchanged": 4}
        assert Booking.objects.count() == 4


def test_the_file_is_kept_only_while_waiting_for_confirmation(admin_user, schools, arpege):
    content = (SAMPLES / "arpege-familles.csv").read_bytes()
    run = check(arpege, "households", "f.csv", content, admin_user)
    path = run.file.path
    with open(path, "rb") as f:
        assert f.read() == content
    run = confirm(run, admin_user)
    assert not run.file and not os.path.exists(path)
    refused = check(arpege, "households", "f.csv", "N° famille;Nom\n".encode(), admin_user)
    assert refused.status == ImportRun.Status.REFUSED and not refused.file
    assert refused.error == "Le fichier n'a aucune ligne sous ses en-têtes."


def test_a_new_adult_needs_a_name(admin_user, arpege):
    content = "N° famille;Nom famille;Nom resp. 1;Prénom resp. 1;Courriel resp. 2\n"
    run = check(
        arpege,
        "households",
        "f.csv",
        (content + "F1;X;Un;Ana;b@example.org\n").encode(),
        admin_user,
    )
    assert run.lines[0]["errors"] == ["adulte 2\u00a0: le nom et le prénom sont nécessaires"]


def test_a_household_deleted_since_is_imported_again(admin_user, technocarte):
    import_file(technocarte, "households", "technocarte-foyers.xlsx", admin_user)
    Household.objects.get(name="NGUYEN").delete()  # no entry: its zero balance carried nothing
    run = import_file(technocarte, "households", "technocarte-foyers.xlsx", admin_user)
    assert run.counts == {"created": 1, "unchanged": 2}
    assert Household.objects.filter(name="NGUYEN").count() == 1


def test_one_invitation_per_address_and_one_confirmation(admin_user, arpege):
    content = (
        "N° famille;Nom famille;Nom resp. 1;Prénom resp. 1;Courriel resp. 1\n"
        "F1;Famille Un;Un;Ana;ana@example.org\n"
        "F2;Famille Deux;Un;Ana;ana@example.org\n"
    ).encode()
    run = check(arpege, "households", "f.csv", content, admin_user)
    assert (
        "une invitation part déjà à ana@example.org pour un autre adulte\u00a0: "
        "une seule par adresse" in run.lines[1]["details"]
    )
    services.confirm_run(run, admin_user)
    with pytest.raises(ValueError):  # a second click does not run it twice
        services.confirm_run(run, admin_user)
    execution.execute(run.pk, confirm=True)
    assert Invitation.objects.count() == 1


def test_a_task_delivered_twice_changes_nothing(admin_user, technocarte):
    run = import_file(technocarte, "households", "technocarte-foyers.xlsx", admin_user)
    assert execution.execute(run.pk, confirm=True).status == ImportRun.Status.DONE
    assert execution.execute(run.pk, confirm=False).status == ImportRun.Status.DONE
    assert Household.objects.count() == 3 and LedgerEntry.objects.count() == 2
