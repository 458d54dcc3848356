"""The family record (« Fiche famille », /gestion/familles/<id>/), the global search and the
journal of actions (issue 13, items 1 and 8).

The record reads every area through its selectors, so it lives here, in the top app; what
the service corrects is written by `families.services` (audited, the parents told). The agent
reads and corrects; the cashier reads (the search and the record lead to the cash desk)."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import AGENTS_GROUP, CASHIERS_GROUP, User
from portail.agenda.selectors import booked_months
from portail.backoffice import audit_log
from portail.backoffice.forms import (
    AdultForm,
    ChildCareForm,
    ContactForm,
    HouseholdAddressForm,
    JournalForm,
    QuotientForm,
    SearchForm,
)
from portail.billing import selectors as billing_selectors
from portail.billing.models import CashReceipt
from portail.core import clock, spreadsheet
from portail.core.converters import parse_id
from portail.core.permissions import agent_required, staff_required
from portail.core.selectors import audit_events
from portail.documents import selectors as document_selectors
from portail.families import selectors as family_selectors
from portail.families import services as family_services
from portail.families.models import Adult, Child, Contact, Household
from portail.messaging.selectors import sent_to
from portail.procedures import selectors as procedure_selectors
from portail.procedures.models import ServiceRequest

RESULTS = 50
JOURNAL_PAGE = 50
EXPORT_LIMIT = 10000
RECEIPT = re.compile(r"R-(\d{4})-(\d{1,9})", re.ASCII)  # CashReceipt.reference


def _household(pk):
    household = family_selectors.household_by_id(pk)
    if household is None:
        raise Http404
    return household


def _member(model, household, pk):
    """The household's adult or child; another family's id is a 404."""
    member = model.objects.filter(pk=pk, household=household).first()
    if member is None:
        raise Http404
    return member


# --- search ---


def _exact_target(request, query: str) -> str | None:
    """A request reference or a receipt number typed whole: the page of that object."""
    text = query.strip().upper()
    if text.startswith("D-") and request.user.is_agent:
        found = ServiceRequest.objects.filter(reference=text).first()
        if found:
            return reverse("procedures_agent:detail", args=[found.pk])
    receipt_number = RECEIPT.fullmatch(text)
    if receipt_number:
        year, number = map(int, receipt_number.groups())
        receipt = CashReceipt.objects.filter(year=year, number=number).first()
        if receipt:
            return reverse("billing_agent:account", args=[receipt.household_id])
    return None


@staff_required
def search(request):
    form = SearchForm(request.GET or None)
    hits, total = [], 0
    if form.is_valid():
        query = form.cleaned_data["q"]
        target = _exact_target(request, query)
        if target:
            return redirect(target)
        hits, total = family_selectors.search_hits(query, RESULTS)
        if total == 1:
            return redirect("backoffice:family", hits[0].household.pk)
    return render(
        request,
        "backoffice/search.html",
        {
            "form": form,
            "hits": hits,
            "total": total,
            "shown": len(hits),
            "staff_search_query": request.GET.get("q", "")[:100],
        },
    )


# --- the record ---


def _quotient_events(household):
    return audit_events([household.pk], action="household.quotient_set")


@staff_required
def family(request, pk):
    household = _household(pk)
    children = list(household.children.all())
    adults = list(household.adults.all())
    history, balance = billing_selectors.latest_history(household, 10)
    today = clock.today()
    users = [a.user_id for a in adults if a.user_id]
    events = audit_events([household.pk])[:30]
    months = booked_months(children, today)
    return render(
        request,
        "backoffice/family.html",
        {
            "household": household,
            "adults": adults,
            "children": children,
            "contacts": household.contacts.all(),
            "requirements": document_selectors.requirements_for(household),
            "requests": procedure_selectors.requests_of(household)[:20],
            "balance": balance,
            "history": history,
            "children_months": [(c, months[c.pk]) for c in children],
            "sent": sent_to(users, 20) if users else [],
            "audit_lines": audit_log.lines(events),
            "quotient_event": _quotient_events(household).first(),
            "can_edit": request.user.is_agent,
        },
    )


def _edit(request, household, form, template_context, save, done_message):
    """Validate, save through the service, say so and go back to the record; on an error the
    form again, with what was typed and the message beside the field."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, done_message)
            return redirect("backoffice:family", household.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "backoffice/family_edit.html",
        {"household": household, "form": form, **template_context},
        status=status,
    )


@agent_required
def edit_address(request, pk):
    household = _household(pk)
    form = HouseholdAddressForm(request.POST or None, instance=household)
    return _edit(
        request,
        household,
        form,
        {"title": _("Correct the address")},
        lambda data: family_services.agent_update_address(household, data, actor=request.user),
        _("The address is corrected; the family is told."),
    )


def _edit_member(request, pk, model, member_pk, form_class, title, service, done_message):
    """Correct one adult or child of the family (`title` names them with %(name)s)."""
    household = _household(pk)
    member = _member(model, household, member_pk)
    return _edit(
        request,
        household,
        form_class(request.POST or None, instance=member),
        {"title": title % {"name": member}},
        lambda data: service(member, data, actor=request.user),
        done_message,
    )


@agent_required
def edit_adult(request, pk, adult_pk):
    return _edit_member(
        request,
        pk,
        Adult,
        adult_pk,
        AdultForm,
        _("Correct the details of %(name)s"),
        family_services.agent_update_adult,
        _("The details are corrected; the family is told."),
    )


@agent_required
def edit_child(request, pk, child_pk):
    return _edit_member(
        request,
        pk,
        Child,
        child_pk,
        ChildCareForm,
        _("Correct the class level and health details of %(name)s"),
        family_services.agent_update_child,
        _("The child's details are corrected; the family is told."),
    )


@agent_required
def edit_contact(request, pk, contact_pk=None):
    """Add (no `contact_pk`) or correct one of the household's other phones or e-mails."""
    household = _household(pk)
    contact = _member(Contact, household, contact_pk) if contact_pk else None
    return _edit(
        request,
        household,
        ContactForm(request.POST or None, instance=contact),
        {"title": _("Correct a contact") if contact else _("Add a phone or an e-mail")},
        lambda data: family_services.agent_save_contact(
            household, data, actor=request.user, contact=contact
        ),
        _("The details are corrected; the family is told."),
    )


@agent_required
def edit_quotient(request, pk):
    household = _household(pk)
    documents = list(document_selectors.history_of(household).order_by("-uploaded_at")[:50])
    form = QuotientForm(
        request.POST or None,
        documents=documents,
        initial={"family_quotient": household.family_quotient},
    )
    return _edit(
        request,
        household,
        form,
        {"title": _("Set the family quotient"), "no_documents": not documents},
        lambda data: family_services.agent_set_family_quotient(
            household, data["family_quotient"], actor=request.user, proof=data["proof"]
        ),
        _("The family quotient is recorded; the family is told."),
    )


# --- journal of actions ---


def _journal_events(form):
    data = form.cleaned_data
    household_ids = None
    family_id = parse_id(form.data.get("foyer"))
    if family_id:
        household_ids = [family_id]
    elif data.get("family"):
        found = family_selectors.search_households(data["family"])
        household_ids = list(found.values_list("pk", flat=True)[:500])
    return audit_events(
        household_ids,
        actor_id=data.get("agent"),
        action=data.get("action") or None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )


def _staff_users():
    """Who may act in the back-office: the journal's « Agent » choices."""
    return (
        User.objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=[AGENTS_GROUP, CASHIERS_GROUP])
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@agent_required
def journal(request):
    # Every field is optional: the bare page is the whole journal, newest first.
    form = JournalForm(request.GET, agents=_staff_users())
    page, total, lines = None, 0, []
    if form.is_valid():
        paginator = Paginator(_journal_events(form), JOURNAL_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        total = paginator.count
        lines = _with_family_names(audit_log.lines(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/journal.html",
        {
            "form": form,
            "page": page,
            "total": total,
            "lines": lines,
            "query": query.urlencode(),
            "family_id": parse_id(request.GET.get("foyer")),
        },
        status=400 if form.errors else 200,
    )


def _with_family_names(lines) -> list:
    ids = {line.event.household_id for line in lines if line.event.household_id}
    names = dict(Household.objects.filter(pk__in=ids).values_list("pk", "name"))
    for line in lines:
        line.family_name = names.get(line.event.household_id, "")
    return lines


@agent_required
def journal_csv(request):
    form = JournalForm(request.GET, agents=_staff_users())
    if not form.is_valid():
        return journal(request)
    lines = _with_family_names(audit_log.lines(_journal_events(form)[:EXPORT_LIMIT]))
    response, writer = spreadsheet.csv_response(f"journal-des-actions-{clock.today()}.csv")
    writer.writerow([_("When"), _("Who"), _("What"), _("Details"), _("Family"), _("Code")])
    for line in lines:
        event = line.event
        writer.writerow(
            spreadsheet.cell(value)
            for value in (
                timezone.localtime(event.at, clock.PARIS).strftime("%d/%m/%Y %H:%M"),
                line.actor_name,
                line.sentence,
                " ; ".join(line.details),
                line.family_name,
                event.action,
            )
        )
    return response
