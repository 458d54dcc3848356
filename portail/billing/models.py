"""The prepaid account (compte d'avance): an append-only ledger per household, online top-ups
(eopayment), cash receipts and tax certificates with gap-free numbers."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portail.core import clock
from portail.core.money import ZERO, MoneyField
from portail.families.models import Child, Household


class PrepaidAccount(models.Model):
    """One per household. `balance` is a cache of the sum of the entries, moved only by
    `services.move_balances` under a row lock in the same transaction as the entries.

    An account without entries goes with its household; one with entries protects it (the
    entries' PROTECT), so a household with money history is never deleted."""

    household = models.OneToOneField(
        Household,
        on_delete=models.CASCADE,
        related_name="prepaid_account",
        verbose_name=_("household"),
    )
    balance = MoneyField(_("balance"), default=ZERO)
    created_at = models.DateTimeField(default=clock.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("prepaid account")
        verbose_name_plural = _("prepaid accounts")

    def __str__(self):
        return str(self.household)


def author_display_name(user) -> str:
    """The name copied on a sealed record: full name, else the sign-in name."""
    return (user.get_full_name() or user.get_username())[:255]


class AppendOnlyQuerySet(models.QuerySet):
    """The ledger is never edited nor deleted in bulk: corrections are reversing entries."""

    def update(self, **kwargs):
        raise PermissionError("ledger entries are append-only")

    def delete(self):
        raise PermissionError("ledger entries are append-only")


class LedgerEntry(models.Model):
    """One movement of a prepaid account: positive credits, negative debits. Never edited nor
    deleted: refused here, by the queryset, and by database triggers (migration 0002)."""

    class Source(models.TextChoices):
        CARD = "card", _("Card payment")
        CASH = "cash", _("Cash at the town hall")
        REFUND = "refund", _("Refund")
        CONSUMPTION = "consumption", _("Services consumed")
        REVERSAL = "reversal", _("Correction (reversal)")
        OPENING = "opening", _("Balance carried over from the previous software")

    CREDIT_SOURCES = (Source.CARD, Source.CASH, Source.REFUND)

    account = models.ForeignKey(
        PrepaidAccount, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    date = models.DateField(_("date"), default=clock.today)
    created_at = models.DateTimeField(_("recorded at"), default=clock.now)
    amount = MoneyField(_("amount"))
    label = models.CharField(_("label"), max_length=255)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # PROTECT: a user who wrote entries is deactivated and anonymised, never deleted; the
    # name is also copied at insert, so the entry says who made it whatever becomes of the user.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author's name"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    # Consumption: what was consumed, by whom, on which day (copied on its reversal).
    child = models.ForeignKey(
        Child,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("child"),
    )
    activity = models.ForeignKey(
        "agenda.Activity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("activity"),
    )
    service_date = models.DateField(_("day of the service"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # The consumption run is idempotent: one debit per (child, activity, day).
            models.UniqueConstraint(
                fields=["child", "activity", "service_date"],
                condition=models.Q(source="consumption"),
                name="ledger_one_consumption_per_child_activity_day",
            ),
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_amount_not_zero"),
        ]
        indexes = [models.Index(fields=["account", "created_at"])]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.label} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("ledger entries are append-only")
        if self.author is not None and not self.author_name:
            self.author_name = author_display_name(self.author)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("ledger entries are append-only")

    @property
    def is_credit(self) -> bool:
        return self.amount > 0


class Payment(models.Model):
    """An online top-up through eopayment. Its UUID is in its return and notification URLs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the bank")
        PAID = "paid", _("paid")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("abandoned")
        ERROR = "error", _("error")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="payments", verbose_name=_("household")
    )
    amount = MoneyField(_("amount"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    backend = models.CharField(_("payment backend"), max_length=30)
    transaction_id = models.CharField(
        _("bank transaction reference"), max_length=100, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(default=clock.now, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    email = models.EmailField(blank=True, verbose_name=_("e-mail"))
    settled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("settled at"))
    bank_status = models.CharField(max_length=255, blank=True, verbose_name=_("bank status"))
    entry = models.OneToOneField(
        LedgerEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
        verbose_name=_("entry"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")

    def __str__(self):
        return f"{self.household} {self.amount} {self.status}"


class BankResponse(models.Model):
    """The raw data of every answer received about a payment (kept for disputes)."""

    class Channel(models.TextChoices):
        NOTIFICATION = "notification", _("server-to-server notification")
        RETURN = "return", _("return of the parent's browser")
        STATUS = "status", _("status query")

    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, related_name="bank_responses", verbose_name=_("payment")
    )
    received_at = models.DateTimeField(default=clock.now, verbose_name=_("received at"))
    channel = models.CharField(max_length=12, choices=Channel.choices, verbose_name=_("channel"))
    raw = models.TextField(blank=True, verbose_name=_("raw answer"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    result = models.CharField(max_length=20, blank=True, verbose_name=_("result"))
    signed = models.BooleanField(default=False, verbose_name=_("signed"))
    accepted = models.BooleanField(
        default=False, help_text=_("Signed and matching our record."), verbose_name=_("accepted")
    )

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("bank response")
        verbose_name_plural = _("bank responses")

    def __str__(self):
        return f"{self.payment_id} {self.channel} {self.result}"


class BillingCounter(models.Model):
    """Gap-free numbering of billing's documents per (series, year), incremented under a row
    lock through `core.counters.next_number`: the series is `CashReceipt.SERIES` or
    `TaxCertificate.SERIES`."""

    series = models.CharField(max_length=20, verbose_name=_("series"))
    year = models.PositiveIntegerField(verbose_name=_("year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="counter_unique_series_year")
        ]
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")

    def __str__(self):
        return f"{self.series} {self.year}\u00a0: {self.last}"


class CashReceipt(models.Model):
    """Receipt of a cash payment at the town hall. Written once (insert-only): the payer, the
    régie's identity, the cashier and the balance after the payment are copied at issue. A
    cancelled receipt is one whose entry has a reversal (« ANNULÉ » is derived from it)."""

    SERIES = "receipt"

    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, related_name="receipt", verbose_name=_("entry")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    year = models.PositiveIntegerField(verbose_name=_("year"))
    number = models.PositiveIntegerField(verbose_name=_("number"))
    payer_name = models.CharField(max_length=255, verbose_name=_("payer name"))
    payer_address = models.TextField(blank=True, verbose_name=_("payer address"))
    amount = MoneyField(verbose_name=_("amount"))
    issued_at = models.DateTimeField(default=clock.now, verbose_name=_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # db_default: rows bulk-copied by the seed leave them out.
    cashier_name = models.CharField(
        max_length=255, blank=True, default="", db_default="", verbose_name=_("cashier name")
    )
    issuer = models.TextField(
        blank=True,
        default="",
        db_default="",
        help_text=_("The régie's identity at issue."),
        verbose_name=_("issuer"),
    )
    balance_after = MoneyField(null=True, blank=True, verbose_name=_("balance after"))
    # The cash desk form's one-time key: a double submit gives back the same receipt.
    request_token = models.UUIDField(
        null=True, blank=True, unique=True, editable=False, verbose_name=_("request token")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="receipt_unique_number")
        ]
        verbose_name = _("cash receipt")
        verbose_name_plural = _("cash receipts")

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"R-{self.year}-{self.number:05d}"


class TaxCertificate(models.Model):
    """« Attestation fiscale »: childcare actually paid in a civil year for a child under 6 on
    1 January (CGI art. 200 quater B; rule in docs/billing.md). Insert-only: a correction
    gives a new certificate that `replaces` the previous one."""

    SERIES = "tax"

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="tax_certificates",
        verbose_name=_("household"),
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="tax_certificates", verbose_name=_("child")
    )
    year = models.PositiveIntegerField(_("civil year"))
    number = models.PositiveIntegerField(verbose_name=_("number"))
    issued_in = models.PositiveIntegerField(
        help_text=_("Year of the numbering counter."), verbose_name=_("issued in (year)")
    )
    payer_name = models.CharField(max_length=255, verbose_name=_("payer name"))
    payer_address = models.TextField(blank=True, verbose_name=_("payer address"))
    child_name = models.CharField(max_length=255, verbose_name=_("child name"))
    child_birth_date = models.DateField(verbose_name=_("child birth date"))
    amount = MoneyField(
        help_text=_("Paid in the year: its own debits and earlier ones."), verbose_name=_("amount")
    )
    lines = models.JSONField(
        default=list,
        help_text=_("The year's debits paid in the year: [[activity, amount], ...]"),
        verbose_name=_("lines"),
    )
    earlier_lines = models.JSONField(
        default=list,
        help_text=_("Earlier years' debits paid in the year: [[year, activity, amount], ...]"),
        verbose_name=_("earlier lines"),
    )
    unpaid = MoneyField(
        default=ZERO,
        help_text=_("The year's eligible debits not paid on 31 December."),
        verbose_name=_("unpaid"),
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    issued_at = models.DateTimeField(default=clock.now, verbose_name=_("issued at"))

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issued_in", "number"], name="taxcert_unique_number")
        ]
        verbose_name = _("tax certificate")
        verbose_name_plural = _("tax certificates")

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"AF-{self.issued_in}-{self.number:05d}"

    @property
    def replacement(self):
        """The certificate that replaced this one after a correction, if any (derived)."""
        try:
            return self.replaced_by
        except TaxCertificate.DoesNotExist:
            return None

    def same_figures(self, figures) -> bool:
        return (
            self.amount == figures.amount
            and self.lines == figures.stored_lines()
            and self.earlier_lines == figures.stored_earlier_lines()
            and self.unpaid == figures.unpaid
        )
