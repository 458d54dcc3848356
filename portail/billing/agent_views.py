"""The cashier's and agents' side: accounts, cash, corrections by reversal, exports."""

import csv
from functools import wraps

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portail.backoffice.permissions import agent_required, cashier_required
from portail.billing import forms, pdf, selectors, services
from portail.billing.models import CashReceipt, LedgerEntry, PrepaidAccount
from portail.core import audit
from portail.families.models import Household


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
    query = request.GET.get("q", "").strip()
    households = Household.objects.all()
    if query:
        households = households.filter(
            Q(name__icontains=query)
            | Q(adults__last_name__icontains=query)
            | Q(children__first_name__icontains=query)
        ).distinct()
    negative = PrepaidAccount.objects.filter(balance__lt=0).select_related("household")
    balances = dict(PrepaidAccount.objects.values_list("household_id", "balance"))
    rows = [(h, balances.get(h.pk, 0)) for h in households[:50]] if query else []
    return render(
        request,
        "billing/agent/home.html",
        {
            "query": query,
            "rows": rows,
            "negative": negative.order_by("balance")[:100],
            "export_form": forms.ExportForm(),
        },
    )


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
    household = get_object_or_404(Household, pk=pk)
    form = forms.CashForm(request.POST)
    if not form.is_valid():
        return _invalid(request, household, cash_form=form)
    try:
        receipt = services.record_cash_payment(
            household, form.cleaned_data["amount"], request.user, form.cleaned_data["payer_name"]
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
    S = LedgerEntry.Source
    entries = LedgerEntry.objects.filter(date__gte=start, date__lte=end).select_related(
        "account__household", "author", "child", "activity", "receipt", "payment", "reverses"
    )
    if kind == "payments":
        entries = entries.filter(
            Q(source__in=LedgerEntry.CREDIT_SOURCES)
            | Q(source=S.REVERSAL, reverses__source__in=LedgerEntry.CREDIT_SOURCES)
        )
    else:
        entries = entries.filter(
            Q(source=S.CONSUMPTION) | Q(source=S.REVERSAL, reverses__source=S.CONSUMPTION)
        )
    audit.record(
        request.user, "billing.export", request.user, kind=kind, start=str(start), end=str(end)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{start}-{end}.csv"'
    response.write("\ufeff")  # for spreadsheets
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "date",
            "foyer",
            "libellé",
            "source",
            "montant",
            "référence",
            "enfant",
            "activité",
            "jour du service",
            "auteur",
            "motif",
            "écriture",
            "corrige",
        ]
    )
    for e in entries.order_by("date", "pk"):
        reference = ""
        if hasattr(e, "receipt"):
            reference = e.receipt.reference
        elif hasattr(e, "payment"):
            reference = e.payment.transaction_id or ""
        writer.writerow(
            [
                e.date.isoformat(),
                e.account.household.name,
                e.label,
                e.get_source_display(),
                str(e.amount).replace(".", ","),
                reference,
                str(e.child) if e.child else "",
                e.activity.name if e.activity else "",
                e.service_date.isoformat() if e.service_date else "",
                e.author_name,
                e.reason,
                e.pk,
                e.reverses_id or "",
            ]
        )
    return response
