"""Every write of the prepaid account. Money never moves without a ledger entry, and entries
move the cached balance and `Household.negative_balance_since` through `move_balances` only, in
the same transaction, under a lock on the account rows."""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portail.agenda.models import Activity, Attendance
from portail.agenda.selectors import billable_items
from portail.billing import gateway
from portail.billing.models import (
    BankResponse,
    BillingCounter,
    CashReceipt,
    LedgerEntry,
    Payment,
    PrepaidAccount,
    TaxCertificate,
    author_display_name,
)
from portail.billing.selectors import tax_certificate_eligible, tax_certificate_figures
from portail.core import audit, clock, counters
from portail.core.models import TownSettings
from portail.core.money import ZERO, format_eur, to_money
from portail.families.models import Child, Contact, Household
from portail.families.services import record_balance_changes
from portail.messaging.selectors import existing_dedupe_keys
from portail.messaging.services import notify, notify_household, send_email

logger = logging.getLogger(__name__)
Source = LedgerEntry.Source


class BillingError(ValueError):
    """A refused operation, with a message for the user."""


# --- the ledger ------------------------------------------------------------------------------


def account_for(household: Household) -> PrepaidAccount:
    account, _created = PrepaidAccount.objects.get_or_create(household=household)
    return account


def _locked_account(household: Household) -> PrepaidAccount:
    account_for(household)
    return PrepaidAccount.objects.select_for_update().get(household=household)


def _locked_accounts(household_ids) -> dict:
    """The households' accounts (made when missing), locked in id order: {household id: account}."""
    PrepaidAccount.objects.bulk_create(
        [PrepaidAccount(household_id=h) for h in household_ids], ignore_conflicts=True
    )
    return {
        a.household_id: a
        for a in PrepaidAccount.objects.select_for_update()
        .filter(household_id__in=household_ids)
        .order_by("pk")
    }


@transaction.atomic
def post_entry(household: Household, amount, label: str, source: str, **fields) -> LedgerEntry:
    """Append one entry, move the balance and the negative-balance date, notify a crossing."""
    amount = to_money(amount)
    if amount == ZERO:
        raise BillingError(_("An entry cannot be of zero euros."))
    account = _locked_account(household)
    entry = LedgerEntry.objects.create(
        account=account, amount=amount, label=label[:255], source=source, **fields
    )
    crossed = move_balances({account: amount})
    household.has_credit = account.balance > ZERO
    if account.balance >= ZERO:
        household.negative_balance_since = None
    elif crossed:
        household.negative_balance_since = clock.today()
        _notify_negative(household, account.balance, entry)
    return entry


def move_balances(deltas: dict, crossed_on: dict | None = None, chunk: int = 500) -> set[int]:
    """THE one writer of `PrepaidAccount.balance`, and the only caller of
    `families.services.record_balance_changes` (`Household.negative_balance_since` and
    `Household.has_credit`).

    `deltas` maps accounts, read under `select_for_update` in the caller's transaction, to the
    sum of the entries the caller has just inserted for them. Each account's balance moves by
    its delta; a household whose balance goes below zero gets `negative_balance_since` (the
    day given by `crossed_on[household id]`, default today), one that is back
    to zero or more loses it. A few statements per `chunk` accounts, whatever their number.
    Returns the ids of the households that went below zero (the caller notifies them)."""
    moved, below, back, credit = [], {}, [], {True: [], False: []}
    for account, delta in deltas.items():
        before = account.balance
        account.balance = before + to_money(delta)
        if account.balance == before:
            continue
        moved.append(account)
        if account.balance < ZERO <= before:
            day = (crossed_on or {}).get(account.household_id) or clock.today()
            below.setdefault(day, []).append(account.household_id)
        elif before < ZERO <= account.balance:
            back.append(account.household_id)
        if (account.balance > ZERO) != (before > ZERO):
            credit[account.balance > ZERO].append(account.household_id)
    for start in range(0, len(moved), chunk):
        PrepaidAccount.objects.bulk_update(moved[start : start + chunk], ["balance"])
    record_balance_changes(below, back, credit, chunk)
    return {h for ids in below.values() for h in ids}


@transaction.atomic
def post_opening_balances(balances: dict, label: str, author=None, chunk: int = 500) -> dict:
    """« Solde repris »: one entry per household carrying over the balance it had in the town's
    previous software. `balances` maps household ids to (amount, date); zero amounts are
    skipped. Accounts are locked in id order, entries bulk-inserted, balances moved by
    `move_balances`. Returns {household id: entry}. The caller makes sure a household gets
    its opening balance once (imports keeps the previous software's ids)."""
    balances = {h: (to_money(a), d) for h, (a, d) in balances.items() if to_money(a) != ZERO}
    author = author if getattr(author, "pk", None) else None
    entries = {}
    ids = sorted(balances)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        accounts = _locked_accounts(part)
        new = {
            h: LedgerEntry(
                account=accounts[h],
                amount=balances[h][0],
                date=balances[h][1],
                label=label[:255],
                source=Source.OPENING,
                author=author,
                author_name=author_display_name(author) if author else "",
            )
            for h in part
        }
        LedgerEntry.objects.bulk_create(new.values())
        crossed = move_balances({accounts[h]: balances[h][0] for h in part})
        for household in Household.objects.filter(pk__in=crossed):
            _notify_negative(household, accounts[household.pk].balance, new[household.pk])
        entries.update(new)
    return entries


def _notify_negative(household, balance, entry) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your prepaid account is negative")
        body = _(
            "The balance of your prepaid account is %(balance)s. Please top it up from the "
            "« Payments » tab (« top up my account »). If it stays negative for more than "
            "%(days)s days, new bookings will be blocked until you top it up."
        ) % {"balance": format_eur(balance), "days": settings.NEGATIVE_BALANCE_GRACE_DAYS}
    notify_household(
        household,
        subject,
        body,
        link=reverse("billing:payments"),
        dedupe_key=f"billing:negative:{entry.pk}",
    )


@transaction.atomic
def reverse_entry(entry: LedgerEntry, reason: str, author) -> LedgerEntry:
    """Correct an entry by its opposite, with a reason. An entry is reversed at most once."""
    reason = (reason or "").strip()
    if not reason:
        raise BillingError(_("Give the reason of the correction."))
    household = entry.account.household
    _locked_account(household)  # serialise with any other movement of this account
    if entry.source == Source.REVERSAL:
        raise BillingError(_("A correction cannot itself be reversed."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise BillingError(_("This entry has already been reversed."))
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Correction of: %(label)s") % {"label": entry.label}
    reversal = post_entry(
        household,
        -entry.amount,
        label,
        Source.REVERSAL,
        author=author,
        reason=reason,
        reverses=entry,
        child=entry.child,
        activity=entry.activity,
        service_date=entry.service_date,
    )
    audit.record(
        author,
        "billing.reversal",
        reversal,
        reverses=entry.pk,
        amount=str(-entry.amount),
        reason=reason,
    )
    return reversal


@transaction.atomic
def refund_withdrawn_bookings(items, reason: str, author) -> int:
    """Bookings the service cancelled after they were debited (a school change back-dated,
    `agenda.signals.bookings_withdrawn`): each debit is reversed (« Correction de : … »), as if it
    had never been charged. `items` are (child_id, activity_id, date). Returns how many."""
    wanted = set(items)
    if not wanted:
        return 0
    debits = LedgerEntry.objects.filter(
        source=Source.CONSUMPTION,
        child_id__in={child for child, _a, _d in wanted},
        service_date__range=(min(d for *_k, d in wanted), max(d for *_k, d in wanted)),
        reversed_by__isnull=True,
    ).select_related("account__household", "child", "activity")
    refunded = 0
    for entry in debits.order_by("pk"):
        if (entry.child_id, entry.activity_id, entry.service_date) in wanted:
            reverse_entry(entry, reason, author)
            refunded += 1
    return refunded


@transaction.atomic
def record_refund(household: Household, amount, reason: str, author) -> LedgerEntry:
    """A credit granted by the town (e.g. a service it could not provide)."""
    amount = to_money(amount)
    reason = (reason or "").strip()
    if amount <= ZERO:
        raise BillingError(_("The amount must be greater than zero."))
    if not reason:
        raise BillingError(_("Give the reason of the refund."))
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Refund: %(reason)s") % {"reason": reason}
    entry = post_entry(household, amount, label, Source.REFUND, author=author, reason=reason)
    audit.record(author, "billing.refund", entry, amount=str(amount), reason=reason)
    return entry


# --- numbering and payer -----------------------------------------------------------------------


def next_number(series: str, year: int) -> int:
    """The next gap-free number of (series, year); the caller's transaction holds the lock."""
    return counters.next_number(BillingCounter, series=series, year=year)


def payer_of(household: Household) -> tuple[str, str]:
    """The name and postal address copied onto an issued document."""
    adult = household.adults.exclude(user=None).first() or household.adults.first()
    name = f"{adult.first_name} {adult.last_name}" if adult else household.name
    return name, household.postal_address


# --- cash at the town hall ------------------------------------------------------------------


def check_cash_amount(amount) -> Decimal:
    """A cash payment of a public receivable is limited by law (CGI art. 1680)."""
    amount = to_money(amount)
    if amount <= ZERO:
        raise BillingError(_("The amount must be greater than zero."))
    limit = TownSettings.current().cash_limit
    if amount > limit:
        raise BillingError(
            _(
                "A cash payment cannot exceed %(limit)s (article 1680 of the Code général des "
                "impôts). Above it, the family pays online by card."
            )
            % {"limit": format_eur(limit)}
        )
    return amount


def needs_confirmation(amount) -> bool:
    return to_money(amount) > TownSettings.current().cash_confirmation_threshold


def issuer_identity(town: TownSettings) -> str:
    """The régie's identity printed on a receipt, copied onto it at issue."""
    lines = [town.regie_name, town.legal_name, town.address]
    if town.siret:
        lines.append(f"SIRET {town.siret}")
    return "\n".join(line for line in lines if line)


@transaction.atomic
def record_cash_payment(
    household: Household, amount, cashier, payer_name: str = "", *, token=None, confirmed=False
) -> CashReceipt:
    """Credit cash received at the town hall and issue its numbered receipt. Above the town's
    confirmation threshold the cashier must have confirmed; `token` (the form's one-time key)
    makes a double submit give back the first receipt instead of recording twice."""
    amount = check_cash_amount(amount)
    if needs_confirmation(amount) and not confirmed:
        raise BillingError(_("Confirm the amount before recording it."))
    _locked_account(household)  # serialise with the same form submitted twice
    if token is not None:
        done = CashReceipt.objects.filter(request_token=token).first()
        if done is not None:
            if done.household_id != household.pk:
                raise BillingError(_("This form was already used for another household."))
            return done
    today = clock.today()
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Cash payment at the town hall")
    entry = post_entry(household, amount, label, Source.CASH, author=cashier)
    name, address = payer_of(household)
    receipt = CashReceipt.objects.create(
        entry=entry,
        household=household,
        year=today.year,
        number=next_number(CashReceipt.SERIES, today.year),
        payer_name=(payer_name or "").strip() or name,
        payer_address=address,
        amount=amount,
        issued_by=cashier,
        cashier_name=(cashier.get_full_name() or cashier.get_username()) if cashier else "",
        issuer=issuer_identity(TownSettings.current()),
        balance_after=entry.account.balance,
        request_token=token,
    )
    audit.record(
        cashier, "billing.cash_payment", entry, amount=str(amount), receipt=receipt.reference
    )
    return receipt


# --- online top-up ---------------------------------------------------------------------------


def check_topup_amount(amount) -> Decimal:
    amount = to_money(amount)
    low, high = settings.BILLING_TOPUP_MIN, settings.BILLING_TOPUP_MAX
    if not low <= amount <= high:
        raise BillingError(
            _("Enter an amount between %(min)s and %(max)s.")
            % {"min": format_eur(low), "max": format_eur(high)}
        )
    return amount


def _payment_unavailable() -> BillingError:
    return BillingError(
        _("Online payment is not available at the moment. Please pay at the town hall.")
    )


@transaction.atomic
def start_topup(household: Household, amount, user, build_url) -> tuple[Payment, object]:
    """Create the payment and ask the backend where to send the parent.

    `build_url(name, payment)` turns a URL name into an absolute URL. Returns (payment, order):
    the backend's order (kind URL, FORM or HTML, and its data)."""
    amount = check_topup_amount(amount)
    if not gateway.usable():
        raise _payment_unavailable()
    payment = Payment.objects.create(
        household=household,
        amount=amount,
        backend=settings.PAYMENT_BACKEND,
        created_by=user,
        email=getattr(user, "email", "") or "",
    )
    try:
        order = gateway.request(payment, build_url)
    except Exception as exc:  # the bank is unreachable or refuses: nothing is kept
        logger.warning("payment request failed: %s", exc)
        raise _payment_unavailable() from exc
    payment.transaction_id = order.transaction_id
    payment.save(update_fields=["transaction_id"])
    return payment, order


# How long the bank is still asked about an abandoned payment: PayFiP forgets an idop after a day.
LATE_CHECK = datetime.timedelta(hours=24)


def apply_bank_response(payment_id, raw: str, channel: str) -> Payment:
    """Process what the bank (or the parent's browser) sent about a payment. Idempotent: the
    payment row is locked, a paid payment returns early, and the credit is unique per payment.
    Money moves only on an authenticated answer (`gateway.mismatch`); every answer is kept."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.status == Payment.Status.PAID:
        response = None  # nothing left to learn; do not ask the bank again
    else:
        try:
            response = gateway.answer(payment, raw)
        except Exception as exc:  # unreadable, or the bank unreachable: kept, changes nothing
            logger.warning("unreadable bank response for %s: %s", payment_id, exc)
            response = None
    return _apply_bank_response(payment_id, response, raw, channel)


def query_status(payment: Payment) -> Payment:
    """Ask the backend about a payment not paid yet (return page, polling), when it can say."""
    if payment.status == Payment.Status.PAID:
        return payment
    if payment.status != Payment.Status.PENDING and payment.created_at < clock.now() - LATE_CHECK:
        return payment  # the bank has forgotten it by now
    try:
        response = gateway.status(payment)
    except Exception as exc:  # the bank is unreachable: try again later
        logger.warning("payment status query failed for %s: %s", payment.pk, exc)
        return payment
    if response is None:
        return payment
    return _apply_bank_response(payment.pk, response, "", BankResponse.Channel.STATUS)


@transaction.atomic
def _apply_bank_response(payment_id, response, raw: str, channel: str) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    record = BankResponse.objects.create(
        payment=payment,
        channel=channel,
        raw=raw[:20000],
        data=gateway.jsonable(response.bank_data) if response else {},
        result=gateway.result_name(response.result) if response else "unreadable",
        signed=bool(response and response.signed),
    )
    if response is None:
        return payment
    problem = gateway.mismatch(payment, response)
    if problem:
        logger.warning("bank response rejected for payment %s: %s", payment.pk, problem)
        return payment
    record.accepted = True
    record.save(update_fields=["accepted"])
    new_status = gateway.status_of(response)
    if new_status == payment.status or payment.status == Payment.Status.PAID:
        return payment  # already known: the bank and the browser both tell us
    if new_status == Payment.Status.PENDING:
        return payment
    if payment.status == Payment.Status.CANCELLED and new_status != Payment.Status.PAID:
        return payment  # abandoned stays abandoned, unless the bank says it was paid after all
    payment.status = new_status
    payment.bank_status = str(response.bank_status or "")[:255]
    payment.settled_at = clock.now()
    if new_status == Payment.Status.PAID:
        with translation.override(settings.LANGUAGE_CODE):
            label = _("Online card payment")
        payment.entry = post_entry(
            payment.household, payment.amount, label, Source.CARD, author=payment.created_by
        )
    payment.save(update_fields=["status", "bank_status", "settled_at", "entry"])
    return payment


def expire_pending(now=None) -> int:
    """`poll_payments`: a payment with no answer from the bank after
    BILLING_PAYMENT_TIMEOUT_MINUTES is asked to the bank (backends that can say), then marked
    abandoned if still not settled. Abandoned payments of the last day are asked again, so a
    payment made late is credited even if its notification is lost. Returns how many were
    abandoned."""
    now = now or clock.now()
    timeout = datetime.timedelta(minutes=settings.BILLING_PAYMENT_TIMEOUT_MINUTES)
    abandoned = []
    overdue = Payment.objects.filter(status=Payment.Status.PENDING, created_at__lte=now - timeout)
    for payment in overdue:
        if query_status(payment).status != Payment.Status.PENDING:
            continue
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            if locked.status == Payment.Status.PENDING:
                locked.status = Payment.Status.CANCELLED
                locked.bank_status = "no answer from the bank (timeout)"
                locked.settled_at = now
                locked.save(update_fields=["status", "bank_status", "settled_at"])
                abandoned.append(payment.pk)
    late = Payment.objects.filter(
        status=Payment.Status.CANCELLED, created_at__gte=now - LATE_CHECK, entry__isnull=True
    ).exclude(pk__in=abandoned)  # those were just asked
    for payment in late:
        query_status(payment)
    return len(abandoned)


def simulate_bank(payment: Payment, accept: bool) -> str:
    """The development simulator acting as the bank: it notifies us server to server, then
    returns the query string the parent's browser brings back (what eopayment's dummy parses)."""
    query = f"transaction_id={payment.transaction_id}&signed=1&amount={payment.amount}"
    query += "&ok=1" if accept else "&reason=refused"
    apply_bank_response(payment.pk, query, BankResponse.Channel.NOTIFICATION)
    return query


# --- consumption -----------------------------------------------------------------------------


def consumption_label(activity: Activity, child: Child, day: datetime.date, kind: str, ratio):
    with translation.override(settings.LANGUAGE_CODE):
        return _consumption_labeler(day)(activity.name, child.first_name, kind, ratio)


def _consumption_labeler(day: datetime.date):
    """A label builder for one day; call it under the town's language. The date and the
    suffixes are formatted once per run, not once per debit."""
    when = date_format(day, "l j F Y")
    suffixes = {}

    def label(activity_name: str, first_name: str, kind: str, ratio) -> str:
        suffix = suffixes.get((kind, ratio))
        if suffix is None:
            suffix = ""
            if kind == "excused":
                suffix = " " + _("(declared absence, %(percent)s %% charged)") % {
                    "percent": int(ratio * 100)
                }
            elif kind == "unbooked":
                suffix = " " + _("(presence without booking)")
            suffixes[kind, ratio] = suffix
        return f"{activity_name} — {first_name} — {when}{suffix}"

    return label


def _consumption_amount(activity: Activity, quotient, item, prices: dict):
    key = (activity.pk, quotient)
    price = prices.get(key)
    if price is None:
        price = prices[key] = activity.price_for(Household(family_quotient=quotient))
    if item.kind == "excused":
        return to_money(price * item.ratio)
    if item.kind == "unbooked":
        return to_money(price + activity.unbooked_surcharge)
    return to_money(price)


CONSUMPTION_BATCH = 500  # households per transaction


def check_day_ended(day: datetime.date) -> None:
    """Only what happened is billed: a day before today, or today once the town's closing time
    (`TownSettings.consumption_closing_time`, when set) is past. Raises BillingError."""
    now = clock.local_now()
    closing = TownSettings.current().consumption_closing_time
    if day < now.date() or (day == now.date() and closing and now.time() >= closing):
        return
    when = date_format(day, "l j F Y")
    if day > now.date():
        raise BillingError(
            _("%(day)s is in the future: its consumption cannot be billed.") % {"day": when}
        )
    if closing:
        raise BillingError(
            _("%(day)s is not over: its consumption can be billed from %(time)s.")
            % {"day": when, "time": closing.strftime("%H h %M")}
        )
    raise BillingError(
        _("%(day)s is not over: its consumption can be billed from tomorrow.") % {"day": when}
    )


def bill_consumption(day: datetime.date, batch: int = CONSUMPTION_BATCH) -> int:
    """Debit each household for what its children consumed on `day`. Idempotent: one entry per
    (child, activity, day) whatever the number of runs, so a missed day can be billed later.
    Returns the number of new debits. A day that has not ended is refused (BillingError).

    Set-based, for a whole town in seconds: amounts are computed in Python from a few queries,
    what was already debited on `day` is read once, and each batch of households is one
    transaction (accounts locked in id order, entries bulk-inserted, balances moved by one
    statement), so a concurrent run or payment waits for the batch and never double-debits."""
    check_day_ended(day)
    items = billable_items(day)
    if not items:
        return 0
    done = set(
        LedgerEntry.objects.filter(source=Source.CONSUMPTION, service_date=day).values_list(
            "child_id", "activity_id"
        )
    )
    by_household: dict[int, list] = {}
    for item in items:
        if (item.child_id, item.activity_id) not in done:
            by_household.setdefault(item.household_id, []).append(item)
    created = 0
    if by_household:
        activities = {
            a.pk: a
            for a in Activity.objects.filter(
                pk__in={i.activity_id for items_ in by_household.values() for i in items_}
            ).prefetch_related("price_brackets")
        }
        children = dict(
            Child.objects.filter(
                pk__in={i.child_id for items_ in by_household.values() for i in items_}
            ).values_list("pk", "first_name")
        )
        quotients = dict(
            Household.objects.filter(pk__in=by_household).values_list("pk", "family_quotient")
        )
        with translation.override(settings.LANGUAGE_CODE):
            label = _consumption_labeler(day)
            ids = sorted(by_household)
            prices: dict = {}
            for start in range(0, len(ids), batch):
                chunk = {h: by_household[h] for h in ids[start : start + batch]}
                created += _bill_batch(day, chunk, activities, children, quotients, label, prices)
    # Attendance is locked once billed (also on a second run, for records added in between),
    # but only for a past day: today's sheets, billed after the closing time, stay editable
    # until the next night's run.
    if day >= clock.today():
        return created
    Attendance.objects.filter(
        date=day,
        billed=False,
        child__household_id__in={i.household_id for i in items},
        activity_id__in={i.activity_id for i in items},
    ).update(billed=True)
    return created


@transaction.atomic
def _bill_batch(day, chunk, activities, children, quotients, label, prices) -> int:
    accounts = _locked_accounts(chunk)
    # Under the locks: what a concurrent run may have debited since the first read.
    done = set(
        LedgerEntry.objects.filter(
            source=Source.CONSUMPTION,
            service_date=day,
            child_id__in={i.child_id for items in chunk.values() for i in items},
        ).values_list("child_id", "activity_id")
    )
    entries, deltas, crossings = [], {}, {}
    for household_id, items in chunk.items():
        account = accounts[household_id]
        balance = account.balance
        for item in items:
            key = (item.child_id, item.activity_id)
            activity = activities[item.activity_id]
            amount = _consumption_amount(activity, quotients[household_id], item, prices)
            if key in done or amount <= ZERO:
                continue
            done.add(key)
            entry = LedgerEntry(
                account=account,
                amount=-amount,
                label=label(activity.name, children[item.child_id], item.kind, item.ratio)[:255],
                source=Source.CONSUMPTION,
                date=day,
                child_id=item.child_id,
                activity_id=item.activity_id,
                service_date=day,
            )
            entries.append(entry)
            if balance >= ZERO and balance - amount < ZERO:
                crossings[household_id] = entry  # the debit that turned it negative
            balance -= amount
        if balance != account.balance:
            deltas[account] = balance - account.balance
    LedgerEntry.objects.bulk_create(entries)
    crossed = move_balances(deltas)
    if crossed:
        for household in Household.objects.filter(pk__in=crossed):
            _notify_negative(household, accounts[household.pk].balance, crossings[household.pk])
    return len(entries)


# --- tax certificate -------------------------------------------------------------------------


def tax_certificate_year_over(year: int) -> bool:
    """A certificate covers a civil year already over (asked from 1 January of the next)."""
    return year < clock.today().year


@transaction.atomic
def issue_tax_certificate(household: Household, child: Child, year: int) -> TaxCertificate | None:
    """The child's certificate of amounts actually paid in a civil year (docs/billing.md):
    the last one when its figures are unchanged, else a new number that `replaces` it (even
    at 0 €). None when nothing eligible was paid and none was issued: no number used."""
    if child.household_id != household.pk:
        raise BillingError(_("Unknown child."))
    if not tax_certificate_year_over(year):
        raise BillingError(_("The certificate of a year can be asked once the year is over."))
    if not tax_certificate_eligible(child, year):
        raise BillingError(_("The tax certificate is issued only for children under 6."))
    _locked_account(household)  # one issue at a time per household: numbers stay gap-free
    figures = tax_certificate_figures(household, child, year)
    last = TaxCertificate.objects.filter(household=household, child=child, year=year).first()
    if last and last.same_figures(figures):
        return last
    if figures.amount == ZERO and last is None:
        return None
    # Down to 0 € after a correction: a corrective certificate of 0 € still replaces the old
    # one, which would otherwise stay valid for sums no longer paid.
    name, address = payer_of(household)
    issued_in = clock.today().year
    return TaxCertificate.objects.create(
        household=household,
        child=child,
        year=year,
        issued_in=issued_in,
        number=next_number(TaxCertificate.SERIES, issued_in),
        payer_name=name,
        payer_address=address,
        child_name=f"{child.first_name} {child.last_name}",
        child_birth_date=child.birth_date,
        amount=figures.amount,
        lines=figures.stored_lines(),
        earlier_lines=figures.stored_earlier_lines(),
        unpaid=figures.unpaid,
        replaces=last,
    )


# --- reminders to the accounts below zero (« relance ») -------------------------------------


@dataclass
class ReminderOutcome:
    sent: list = field(default_factory=list)  # households reminded now
    already: list = field(default_factory=list)  # reminded earlier today (not forced)
    unreachable: list = field(default_factory=list)  # no e-mail address to write to


def reminder_key(household_id: int, day: datetime.date) -> str:
    return f"billing:reminder:{household_id}:{day.isoformat()}"


def _reminder_recipient(household):
    """One recipient per family: the first adult holding an account (in-app message and
    e-mail), else the first e-mail address known (an adult's, then the household's)."""
    adults = list(household.adults.all())
    for adult in adults:
        if adult.user_id and adult.user.email:
            return adult.user, adult.user.email
    for adult in adults:
        if adult.email:
            return None, adult.email
    for contact in household.contacts.all():
        if contact.channel == Contact.Channel.EMAIL and contact.value:
            return None, contact.value
    return None, ""


def _reminder_text(household, balance, today) -> tuple[str, str]:
    since = household.negative_balance_since
    with translation.override(settings.LANGUAGE_CODE):
        if since is not None and since < today - datetime.timedelta(
            days=settings.NEGATIVE_BALANCE_GRACE_DAYS
        ):
            consequence = _("New bookings are blocked until the account is topped up.")
        else:
            consequence = _(
                "If it stays negative for more than %(days)s days, new bookings will be blocked "
                "until you top it up."
            ) % {"days": settings.NEGATIVE_BALANCE_GRACE_DAYS}
        subject = _("Reminder: your prepaid account is below zero")
        body = _(
            "Hello,\n\nOn %(today)s the prepaid account of the household %(household)s shows a "
            "balance of %(balance)s (negative since %(since)s). %(consequence)s\n\nTo top it "
            "up: log in to the family portal, « Payments » tab, « top up my account » (card "
            "payment online), or pay at the town hall's cash desk.\n\nThe school service"
        ) % {
            "today": today.strftime("%d/%m/%Y"),
            "household": household.name,
            "balance": format_eur(balance),
            "since": since.strftime("%d/%m/%Y") if since else today.strftime("%d/%m/%Y"),
            "consequence": consequence,
        }
    return subject, body


@transaction.atomic
def send_balance_reminders(household_ids, agent, *, force: bool = False) -> ReminderOutcome:
    """One reminder mail per family whose account is still below zero, with its balance and how
    to top it up, through the notify path; audited. A family already reminded today is skipped
    unless `force` (the agent confirmed sending again)."""
    today = clock.today()
    accounts = (
        PrepaidAccount.objects.filter(household_id__in=list(household_ids), balance__lt=0)
        .select_related("household")
        .prefetch_related("household__adults__user", "household__contacts")
        .order_by("household__name", "pk")
    )
    accounts = list(accounts)
    keys = {a.household_id: reminder_key(a.household_id, today) for a in accounts}
    used = existing_dedupe_keys(keys.values())
    outcome = ReminderOutcome()
    link = reverse("billing:topup")
    for account in accounts:
        household, key = account.household, keys[account.household_id]
        if key in used and not force:
            outcome.already.append(household)
            continue
        user, address = _reminder_recipient(household)
        if not address:
            outcome.unreachable.append(household)
            continue
        again = key in used
        if again:  # forced: a second mail the same day needs its own key
            key = f"{key}:{clock.now().timestamp()}"
        subject, body = _reminder_text(household, account.balance, today)
        if user is not None:
            notify(user, subject, body, link=link, dedupe_key=key)
        else:
            text = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{link}"
            send_email(address, subject, text, dedupe_key=key)
        audit.record(
            agent,
            "billing.balance_reminder",
            household,
            balance=str(account.balance),
            to=address,
            forced=again,
        )
        outcome.sent.append(household)
    return outcome
