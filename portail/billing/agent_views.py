"""The cashier's and agents' side: accounts, cash, corrections by reversal, exports."""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse as url_of
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from portail.billing import csv_rows, forms, pdf, selectors, services
from portail.billing.models import CashReceipt, LedgerEntry
from portail.core import audit, clock, spreadsheet
from portail.core.confirm import confirmation_page
from portail.core.converters import parse_id
from portail.core.lists import Listing, Sort
from portail.core.permissions import agent_required, cashier_required
from portail.families.models import Household
from portail.families.selectors import search_households

# The exported file's name, in French like the rest of what the agent sees.
EXPORT_NAMES = {"payments": "paiements", "consumption": "consommations"}


def agent_or_cashier_required(view):
    """Agents read the accounts; the cashier (régie) may not be in the agents' group."""
    as_cashier, as_agent = cashier_required(view), agent_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_cashier:
            return as_cashier(request, *args, **kwargs)
        return as_agent(request, *args, **kwargs)

    return wrapper


@agent_or_cashier_required
def home(request):
    query = request.GET.get("q", "").strip()[:100]
    listing = None
    if query:
        households = search_households(query).order_by("name", "pk")
        listing = Listing(request, households)
        listing.rows_with_balance = selectors.balances_of(listing.page.object_list)
    return render(
        request,
        "billing/agent/home.html",
        {
            "query": query,
            "listing": listing,
            "negative": selectors.negative_summary(),
            "export_form": forms.ExportForm(),
            "journal_form": forms.JournalForm(initial={"date": clock.today()}),
        },
    )


# --- the accounts below zero and their reminder (« relance ») -------------------------------

NEGATIVE_SORTS = {
    "household": Sort(gettext_lazy("Household"), ("household__name",)),
    "balance": Sort(gettext_lazy("Balance"), ("balance",)),
    # More days negative = negative since an earlier day.
    "days": Sort(gettext_lazy("Days negative"), ("-household__negative_balance_since",)),
}


def _contacts(household) -> tuple[list[str], list[str]]:
    """The e-mail addresses and phone numbers of the household, each once."""
    emails, phones = [], []
    for adult in household.adults.all():
        emails.append(adult.email)
        phones.append(adult.phone)
    for contact in household.contacts.all():
        (emails if contact.channel == contact.Channel.EMAIL else phones).append(contact.value)
    return list(dict.fromkeys(e for e in emails if e)), list(dict.fromkeys(p for p in phones if p))


def _days_negative(account, today) -> int | None:
    since = account.household.negative_balance_since
    return (today - since).days if since else None


@agent_or_cashier_required
def negative(request):
    """Accounts below zero: days negative, « bloqué », contacts; filter, sort, export, remind."""
    form = forms.NegativeFilterForm(request.GET or None)
    today = clock.today()
    accounts = selectors.negative_accounts(**form.filters(), today=today)
    listing = Listing(request, accounts, NEGATIVE_SORTS, default="balance")
    if listing.wants_export:
        audit.record(
            request.user, "billing.negative_export", request.user, query=request.GET.urlencode()
        )
        return listing.csv(
            f"comptes-negatifs-{today.isoformat()}.csv",
            [
                (_("Household"), lambda a: a.household.name),
                (_("Balance"), lambda a: a.balance),
                (_("Negative since"), lambda a: a.household.negative_balance_since),
                (_("Days negative"), lambda a: _days_negative(a, today)),
                (_("Bookings blocked"), lambda a: a.blocked),
                (_("E-mail addresses"), lambda a: ", ".join(_contacts(a.household)[0])),
                (_("Phone numbers"), lambda a: ", ".join(_contacts(a.household)[1])),
            ],
        )
    for account in listing.page:
        account.days = _days_negative(account, today)
        account.emails, account.phones = _contacts(account.household)
    return render(
        request,
        "billing/agent/negative.html",
        {"form": form, "listing": listing, "query": request.GET.urlencode()},
    )


def _reminder_ids(request) -> list[int]:
    """The families to remind: those confirmed (`ids`), the ticked ones, or every filtered one."""
    if "ids" in request.POST:
        ids = request.POST["ids"].split(",")
    elif request.POST.get("scope") == "all":
        form = forms.NegativeFilterForm(QueryDict(request.POST.get("query", "")[:2000]) or None)
        accounts = selectors.negative_accounts(**form.filters())
        return list(accounts.values_list("household_id", flat=True))
    else:
        ids = request.POST.getlist("household")
    return list(dict.fromkeys(i for i in map(parse_id, ids[:20000]) if i))


@agent_or_cashier_required
@require_POST
def negative_remind(request):
    query = request.POST.get("query", "")[:2000]
    back = url_of("billing_agent:negative") + (f"?{query}" if query else "")
    ids = _reminder_ids(request)
    force = request.POST.get("force") == "1"
    if not ids:
        messages.error(request, _("Tick at least one family, or choose « remind all »."))
        return redirect(back)
    names = list(
        Household.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)[:30]
    )
    details = names + (
        [_("… and %(count)s others") % {"count": len(ids) - 30}] if len(ids) > 30 else []
    )
    if force:
        details.append(_("Families already reminded today get a second mail."))
    else:
        details.append(_("Families already reminded today are skipped."))
    asking = confirmation_page(
        request,
        ngettext(
            "Send a reminder mail to %(count)s family?",
            "Send a reminder mail to %(count)s families?",
            len(ids),
        )
        % {"count": len(ids)},
        _("Send the reminders"),
        back,
        details=details,
        hidden={"ids": ",".join(map(str, ids)), "query": query, "force": "1" if force else ""},
    )
    if asking is not None:
        return asking
    outcome = services.send_balance_reminders(ids, request.user, force=force)
    messages.success(
        request,
        ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", len(outcome.sent))
        % {"count": len(outcome.sent)},
    )
    if outcome.already:
        messages.info(
            request,
            ngettext(
                "%(count)s family was already reminded today: not sent again.",
                "%(count)s families were already reminded today: not sent again.",
                len(outcome.already),
            )
            % {"count": len(outcome.already)},
        )
    if outcome.unreachable:
        messages.warning(
            request,
            _("No e-mail address for: %(names)s. Call them or write to them.")
            % {"names": ", ".join(h.name for h in outcome.unreachable)},
        )
    return redirect(back)


def _account_context(household, **forms_):
    context = {
        "household": household,
        "balance": selectors.balance_of(household),
        "history": selectors.history(household),
        "cash_form": forms.CashForm(),
        "refund_form": forms.RefundForm(),
        "reversal_form": forms.ReversalForm(),
        "reversed_ids": set(
            LedgerEntry.objects.filter(account__household=household)
            .exclude(reverses=None)
            .values_list("reverses_id", flat=True)
        ),
    }
    context.update(forms_)
    return context


@agent_or_cashier_required
def account(request, pk):
    household = get_object_or_404(Household, pk=pk)
    return render(request, "billing/agent/account.html", _account_context(household))


def _invalid(request, household, **bad):
    return render(
        request, "billing/agent/account.html", _account_context(household, **bad), status=400
    )


@cashier_required
@require_POST
def cash(request, pk):
    """Record a cash payment. Above the confirmation threshold, a second page shows the amount
    and the household, and nothing is recorded until « Confirmer l'encaissement »."""
    household = get_object_or_404(Household, pk=pk)
    form = forms.CashForm(request.POST)
    if not form.is_valid():
        return _invalid(request, household, cash_form=form)
    amount = form.cleaned_data["amount"]
    confirmed = request.POST.get("confirm") == "1"
    if services.needs_confirmation(amount) and not confirmed:
        balance = selectors.balance_of(household)
        return render(
            request,
            "billing/agent/cash_confirm.html",
            {
                "household": household,
                "form": form,
                "amount": amount,
                "payer_name": form.cleaned_data["payer_name"] or services.payer_of(household)[0],
                "balance": balance,
                "balance_after": balance + amount,
            },
        )
    try:
        receipt = services.record_cash_payment(
            household,
            amount,
            request.user,
            form.cleaned_data["payer_name"],
            token=form.cleaned_data["token"],
            confirmed=confirmed,
        )
    except services.BillingError as exc:
        form.add_error("amount", str(exc))
        return _invalid(request, household, cash_form=form)
    messages.success(
        request, _("Cash payment recorded: receipt %(ref)s.") % {"ref": receipt.reference}
    )
    return redirect("billing_agent:account", pk=household.pk)


@cashier_required
@require_POST
def refund(request, pk):
    household = get_object_or_404(Household, pk=pk)
    form = forms.RefundForm(request.POST)
    if not form.is_valid():
        return _invalid(request, household, refund_form=form)
    try:
        services.record_refund(
            household, form.cleaned_data["amount"], form.cleaned_data["reason"], request.user
        )
    except services.BillingError as exc:
        form.add_error("amount", str(exc))
        return _invalid(request, household, refund_form=form)
    messages.success(request, _("Refund recorded."))
    return redirect("billing_agent:account", pk=household.pk)


@cashier_required
@require_POST
def reverse(request, pk):
    entry = get_object_or_404(LedgerEntry.objects.select_related("account__household"), pk=pk)
    household = entry.account.household
    form = forms.ReversalForm(request.POST)
    if form.is_valid():
        try:
            services.reverse_entry(entry, form.cleaned_data["reason"], request.user)
        except services.BillingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Entry corrected by a reversing entry."))
        return redirect("billing_agent:account", pk=household.pk)
    messages.error(request, _("Give the reason of the correction."))
    return redirect("billing_agent:account", pk=household.pk)


@agent_or_cashier_required
def receipt(request, pk):
    receipt = get_object_or_404(CashReceipt.objects.select_related("entry", "household"), pk=pk)
    response = HttpResponse(pdf.cash_receipt(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recu-{receipt.reference}.pdf"'
    return response


@cashier_required
def export(request):
    form = forms.ExportForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "billing/agent/export.html",
            {"form": form},
            status=400 if form.is_bound else 200,
        )
    kind, start, end = (form.cleaned_data[k] for k in ("kind", "start", "end"))
    entries = selectors.ledger_entries_for_export(kind, start, end)
    audit.record(
        request.user, "billing.export", request.user, kind=kind, start=str(start), end=str(end)
    )
    response, writer = spreadsheet.csv_response(f"{EXPORT_NAMES[kind]}-{start}-{end}.csv")
    writer.writerows(csv_rows.ledger_rows(entries))
    return response


# --- the day's cash journal (bordereau de régie) --------------------------------------------


def _journal_day(request):
    """The day asked for (default: today), or the bound form with its error."""
    form = forms.JournalForm(request.GET if "date" in request.GET else None)
    if not form.is_bound:
        return clock.today(), forms.JournalForm(initial={"date": clock.today()})
    if form.is_valid():
        return form.cleaned_data["date"], form
    return None, form


@cashier_required
def journal(request):
    day, form = _journal_day(request)
    if day is None:
        return render(request, "billing/agent/journal.html", {"form": form}, status=400)
    return render(
        request,
        "billing/agent/journal.html",
        {"form": form, "journal": selectors.cash_journal(day)},
    )


def _journal_or_400(request):
    day, form = _journal_day(request)
    if day is None:
        return None, render(request, "billing/agent/journal.html", {"form": form}, status=400)
    audit.record(request.user, "billing.cash_journal", request.user, day=day.isoformat())
    return selectors.cash_journal(day), None


@cashier_required
def journal_pdf(request):
    data, error = _journal_or_400(request)
    if error:
        return error
    response = HttpResponse(pdf.cash_journal(data), content_type="application/pdf")
    filename = f"journal-de-caisse-{data.day.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cashier_required
def journal_csv(request):
    data, error = _journal_or_400(request)
    if error:
        return error
    response, writer = spreadsheet.csv_response(f"journal-de-caisse-{data.day.isoformat()}.csv")
    writer.writerows(csv_rows.cash_journal_rows(data))
    return response
