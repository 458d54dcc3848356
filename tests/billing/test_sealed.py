"""The money records are sealed in the database itself: raw SQL cannot edit nor delete them,
and removing a user or a household never silently unlinks them."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from portail.accounts.services import confirm_closure, purge_unactivated, request_closure
from portail.billing import selectors, services
from portail.billing.models import CashReceipt, LedgerEntry, TaxCertificate
from portail.families.models import Household
from tests.factories import AgentFactory, CashierFactory, make_parent

pytestmark = pytest.mark.django_db


def _raw(sql, params):
    """Run one statement in its own savepoint, so a refused one leaves the test usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def sealed_records():
    _user, household, child = make_parent(birth_date=datetime.date(2022, 3, 4))
    receipt = services.record_cash_payment(household, "30", CashierFactory())
    certificate = TaxCertificate.objects.create(
        household=household,
        child=child,
        year=2025,
        number=1,
        issued_in=2026,
        payer_name="X",
        child_name="Y",
        child_birth_date=child.birth_date,
        amount=Decimal("12.00"),
    )
    return receipt.entry, receipt, certificate


@pytest.mark.parametrize("kind", ["entry", "receipt", "certificate"])
def test_raw_sql_update_and_delete_are_refused(sealed_records, kind):
    record = dict(zip(["entry", "receipt", "certificate"], sealed_records, strict=True))[kind]
    table = record._meta.db_table
    with pytest.raises(IntegrityError, match="sealed"):
        _raw(f"UPDATE {table} SET amount = 1000 WHERE id = %s", [record.pk])
    with pytest.raises(IntegrityError, match="sealed"):
        _raw(f"DELETE FROM {table} WHERE id = %s", [record.pk])
    record.refresh_from_db()
    assert record.amount in (Decimal("30.00"), Decimal("12.00"))
    # Inserting stays possible: the ledger goes on.
    services.record_refund(sealed_records[1].household, "5", "gesture", CashierFactory())


def test_orm_refusals_stay(sealed_records):
    entry = sealed_records[0]
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(PermissionError):
        LedgerEntry.objects.all().delete()


def test_a_cashier_with_entries_cannot_be_deleted_and_the_entry_keeps_the_name():
    _user, household, _child = make_parent()
    cashier = CashierFactory(first_name="Rémi", last_name="Régisseur")
    receipt = services.record_cash_payment(household, "20", cashier)
    assert receipt.entry.author_name == "Rémi Régisseur"
    with pytest.raises(ProtectedError):
        cashier.delete()
    entry = LedgerEntry.objects.get(pk=receipt.entry.pk)
    assert entry.author == cashier
    assert entry.author_name == "Rémi Régisseur"
    assert CashReceipt.objects.get(pk=receipt.pk).issued_by == cashier


def test_closing_a_parents_account_keeps_who_paid():
    user, household, _child = make_parent()
    user.first_name, user.last_name = "Claire", "Martin"
    user.save()
    entry = services.post_entry(household, "40", "Paiement en ligne", "card", author=user)
    confirm_closure(AgentFactory(), request_closure(user))
    entry = LedgerEntry.objects.get(pk=entry.pk)
    assert entry.author_id == user.pk  # deactivated and anonymised, not deleted
    assert entry.author.username == f"closed-{user.pk}"
    assert entry.author_name == "Claire Martin"
    assert selectors.balance_of(household) == Decimal("40.00")


def test_purge_of_unactivated_accounts_keeps_a_household_with_money(settings):
    from allauth.account.models import EmailAddress

    from portail.core import clock

    user, household, _child = make_parent()
    user.date_joined = clock.now() - datetime.timedelta(days=3)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified": False}
    )
    services.record_cash_payment(household, "25", CashierFactory())
    empty_user, empty_household, _c = make_parent()
    empty_user.date_joined = user.date_joined
    empty_user.save()
    EmailAddress.objects.update_or_create(
        user=empty_user, defaults={"email": empty_user.email, "verified": False}
    )
    services.account_for(empty_household)  # an account opened without money goes with it

    assert purge_unactivated(clock.now()) == 2
    assert not Household.objects.filter(pk=empty_household.pk).exists()
    assert Household.objects.filter(pk=household.pk).exists()
    assert selectors.balance_of(household) == Decimal("25.00")
    assert purge_unactivated(clock.now()) == 0


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_sealed_tables_and_keeps_the_seal():
    """What the test runner does between transactional tests (SQLite empties with DELETE)."""
    _user, household, _child = make_parent()
    services.record_cash_payment(household, "10", CashierFactory())
    call_command("flush", interactive=False, verbosity=0)
    assert not LedgerEntry.objects.exists()
    assert selectors.ledger_check() == (0, [])  # the triggers are back in place
    _user, household, _child = make_parent()
    entry = services.record_cash_payment(household, "10", CashierFactory()).entry
    with pytest.raises(IntegrityError, match="sealed"):
        _raw("DELETE FROM billing_ledgerentry WHERE id = %s", [entry.pk])


def test_the_administrator_cannot_delete_a_user_or_household_with_money(client):
    from tests.factories import UserFactory

    _user, household, _child = make_parent()
    cashier = CashierFactory()
    services.record_cash_payment(household, "15", cashier)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in (
        f"/administration/accounts/user/{cashier.pk}/delete/",
        f"/administration/families/household/{household.pk}/delete/",
    ):
        page = client.post(url, {"post": "yes"})
        assert page.status_code == 200  # the protected-objects page, not a deletion
        assert "ledger entry" in page.content.decode() or "écriture" in page.content.decode()
    assert LedgerEntry.objects.get(source="cash").author == cashier
    assert Household.objects.filter(pk=household.pk).exists()
