import datetime

import eopayment
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portail.billing import forms, gateway, pdf, selectors, services
from portail.billing.models import BankResponse, CashReceipt, Payment, TaxCertificate
from portail.core import clock
from portail.families.scoping import get_for_household, household_required
from portail.families.services import booking_block_reason

HISTORY_LIMIT = 40  # the full history is in « Relevé de compte »


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@household_required
def payments(request, form=None):
    household = request.household
    history, balance = selectors.latest_history(household, HISTORY_LIMIT)
    return render(
        request,
        "billing/payments.html",
        {
            "balance": balance,
            "block_reason": booking_block_reason(household),
            "negative_since": household.negative_balance_since,
            "grace_days": settings.NEGATIVE_BALANCE_GRACE_DAYS,
            "forecast": selectors.forecast(household, balance=balance),
            "history": history,
            "history_limit": HISTORY_LIMIT,
            "recent_payments": selectors.recent_payments(household),
            "form": form or forms.TopUpForm(),
            "menu": "account",
        },
        status=400 if form is not None else 200,
    )


def _absolute(request):
    def build(name, payment):
        return request.build_absolute_uri(reverse(name, args=[payment.pk]))

    return build


@household_required
@require_POST
def topup(request):
    form = forms.TopUpForm(request.POST)
    if not form.is_valid():
        return payments(request, form=form)
    try:
        payment, order = services.start_topup(
            request.household, form.cleaned_data["amount"], request.user, _absolute(request)
        )
    except services.BillingError as exc:
        form.add_error("amount", str(exc))
        return payments(request, form=form)
    if order.kind == eopayment.URL:
        return HttpResponseRedirect(order.data)
    # FORM (POST to the bank) or HTML: a page with the bank's form and one button.
    return render(request, "billing/to_bank.html", {"payment": payment, "order": order})


def _bank_query(request) -> str:
    if request.method == "POST":
        return request.body.decode("utf-8", "replace")
    return request.META.get("QUERY_STRING", "")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def payment_return(request, pk):
    """The parent's browser comes back from the bank (GET or POST). Whatever it brings is
    processed like a notification, then we redirect to the same page without parameters, so a
    reload is harmless and the session cookie comes back (the bank's POST is cross-site)."""
    raw = _bank_query(request)
    if raw:
        get_object_or_404(Payment, pk=pk)
        services.apply_bank_response(pk, raw, BankResponse.Channel.RETURN)
        return redirect("billing:return", pk=pk)
    return _show_return(request, pk)


@household_required
def _show_return(request, pk):
    payment = get_for_household(Payment, request.household, pk)
    payment = services.query_status(payment)
    return render(
        request,
        "billing/return.html",
        {"payment": payment, "balance": selectors.balance_of(request.household), "menu": "account"},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def notification(request, pk):
    """The bank's server-to-server call: no session, verified by the backend's signature and
    against our own record of the payment."""
    get_object_or_404(Payment, pk=pk)
    raw = _bank_query(request)
    services.apply_bank_response(pk, raw, BankResponse.Channel.NOTIFICATION)
    # The same plain answer whatever happened: a forger learns nothing (it is all recorded).
    return HttpResponse("OK", content_type="text/plain")


@require_http_methods(["GET", "POST"])
def simulator(request, pk):
    """Development stand-in for the bank's payment page (PAYMENT_BACKEND=simulator)."""
    if settings.PAYMENT_BACKEND != gateway.SIMULATOR or gateway.simulator_refused():
        raise Http404
    payment = get_object_or_404(Payment, pk=pk)
    if request.method == "POST":
        query = services.simulate_bank(payment, accept="pay" in request.POST)
        return redirect(reverse("billing:return", args=[payment.pk]) + "?" + query)
    return render(request, "billing/simulator.html", {"payment": payment})


@household_required
def receipt_pdf(request, pk):
    receipt = get_for_household(
        CashReceipt.objects.select_related("entry", "household"), request.household, pk
    )
    return _pdf(pdf.cash_receipt(receipt), f"recu-{receipt.reference}.pdf")


# --- tax certificate -------------------------------------------------------------------------


@household_required
def tax_certificate(request):
    household = request.household
    years = selectors.tax_certificate_years(household)
    if request.method == "POST":
        child = request.POST.get("child", "")
        if child.isdigit() and not household.children.filter(pk=child).exists():
            raise Http404  # another family's child
    data = request.POST if request.method == "POST" else None
    initial = {"year": request.GET.get("year") or (years[0] if years else None)}
    form = forms.TaxCertificateForm(data, household=household, years=years, initial=initial)
    nothing_paid = None
    if request.method == "POST" and form.is_valid():
        child, year = form.cleaned_data["child_obj"], form.cleaned_data["year"]
        cert = services.issue_tax_certificate(household, child, year)
        if cert is not None:
            return _certificate_pdf(cert)
        unpaid = selectors.tax_certificate_figures(household, child, year).unpaid
        nothing_paid = {"child": child, "year": year, "unpaid": unpaid}
    try:
        year = int(form["year"].value())
    except (TypeError, ValueError):
        year = None
    if year not in years:
        year = years[0] if years else None
    return render(
        request,
        "billing/tax_certificate.html",
        {
            "form": form,
            "year": year,
            "years": years,
            "next_year_start": datetime.date(clock.today().year + 1, 1, 1),
            "nothing_paid": nothing_paid,
            "choices": selectors.tax_certificate_choices(household, year) if year else [],
            "certificates": TaxCertificate.objects.filter(household=household).select_related(
                "replaced_by", "replaces"
            ),
            "menu": "tax",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _certificate_pdf(cert):
    return _pdf(pdf.tax_certificate(cert), f"attestation-fiscale-{cert.year}-{cert.reference}.pdf")


@household_required
def tax_certificate_pdf(request, pk):
    cert = get_for_household(
        TaxCertificate.objects.select_related("replaced_by", "replaces"), request.household, pk
    )
    return _certificate_pdf(cert)


# --- statement -------------------------------------------------------------------------------


def _statement(request):
    household = request.household
    years = selectors.statement_years(household)
    form = forms.StatementForm(request.GET or None, years=years)
    if form.is_bound and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    else:
        year, month = years[0], None
    return form, selectors.statement(household, year, month)


def _period_label(data) -> str:
    if data["month"]:
        return dict(forms.MONTHS)[data["month"]] + f" {data['year']}"
    return _("year %(year)s") % {"year": data["year"]}


@household_required
def statement(request):
    form, data = _statement(request)
    return render(
        request,
        "billing/statement.html",
        {"form": form, "data": data, "period": _period_label(data), "menu": "statement"},
        status=400 if form.is_bound and form.errors else 200,
    )


@household_required
def statement_pdf(request):
    form, data = _statement(request)
    if form.is_bound and form.errors:
        return redirect("billing:statement")
    content = pdf.statement(
        request.household, services.payer_of(request.household), data, _period_label(data)
    )
    suffix = f"{data['year']}-{data['month']:02d}" if data["month"] else str(data["year"])
    return _pdf(content, f"releve-de-compte-{suffix}.pdf")
