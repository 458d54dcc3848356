"""Agents' side (/gestion/justificatifs/): the queue, the viewer, validate / invalidate, and
asking a family for a document (« réclamé »)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portail.core import clock
from portail.core.lists import Listing, Sort
from portail.core.permissions import agent_required
from portail.core.services import mark_seen
from portail.documents import selectors, services
from portail.documents.forms import (
    ClaimForm,
    InvalidateForm,
    QueueFilterForm,
    SearchForm,
    ValidateForm,
)
from portail.documents.models import DocumentType, SupportingDocument
from portail.documents.views import file_response
from portail.families.models import Household
from portail.families.selectors import search_households

QUEUE_SORTS = {
    "sent": Sort(gettext_lazy("Sent on"), ("uploaded_at",)),
    "type": Sort(gettext_lazy("Document"), ("document_type__name", "uploaded_at")),
    "family": Sort(gettext_lazy("Family"), ("household__name", "uploaded_at")),
    "status": Sort(gettext_lazy("Status of the document"), ("status", "uploaded_at")),
}


def _subject(document) -> str:
    if document.child:
        return document.child.first_name
    return str(document.adult) if document.adult else ""


@agent_required
def home(request):
    search = SearchForm(request.GET if "q" in request.GET else None)
    households = None
    if search.is_valid() and search.cleaned_data["q"]:
        households = Listing(
            request, search_households(search.cleaned_data["q"]).order_by("name", "pk"), prefix="f-"
        )
    form = QueueFilterForm(request.GET or None)
    listing = Listing(request, selectors.pending_queue(**form.filters()), QUEUE_SORTS, "sent")
    if listing.wants_export:
        return listing.csv(
            "justificatifs.csv",
            [
                (_("Document"), lambda d: d.document_type.name),
                (_("For"), _subject),
                (_("Family"), lambda d: d.household.name),
                (_("Sent on"), lambda d: d.uploaded_at),
                (_("Status of the document"), lambda d: d.get_status_display()),
            ],
        )
    mark_seen(request.user, "documents")  # the dashboard's « new » badge starts again
    return render(
        request,
        "documents/agent/home.html",
        {"listing": listing, "form": form, "search": search, "households": households},
    )


def _review(request, document, validate_form=None, invalidate_form=None, status=200):
    if validate_form is None:
        start = document.uploaded_at.astimezone(clock.PARIS).date()
        validate_form = ValidateForm(
            initial={"valid_until": document.document_type.default_valid_until(start)}
        )
    return render(
        request,
        "documents/agent/review.html",
        {
            "document": document,
            "validate_form": validate_form,
            "invalidate_form": invalidate_form or InvalidateForm(),
            "history": selectors.history_of(document.household).exclude(pk=document.pk)[:20],
        },
        status=status,
    )


def _document(pk):
    return get_object_or_404(
        SupportingDocument.objects.select_related(
            "household", "document_type", "adult", "child", "checked_by"
        ),
        pk=pk,
    )


@agent_required
def review(request, pk):
    return _review(request, _document(pk))


@agent_required
@require_POST
def validate(request, pk):
    document = _document(pk)
    form = ValidateForm(request.POST)
    if form.is_valid():
        try:
            services.validate_document(
                document=document, agent=request.user, valid_until=form.cleaned_data["valid_until"]
            )
        except ValidationError as exc:
            form.add_error("valid_until" if exc.code == "past" else None, exc)
        else:
            messages.success(request, _("The document is valid. The family has been told."))
            return redirect("documents_agent:home")
    return _review(request, document, validate_form=form, status=400)


@agent_required
@require_POST
def invalidate(request, pk):
    document = _document(pk)
    form = InvalidateForm(request.POST)
    if form.is_valid():
        try:
            services.invalidate_document(
                document=document, agent=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The document is invalid. The family has been told."))
            return redirect("documents_agent:home")
    return _review(request, document, invalidate_form=form, status=400)


@agent_required
def file(request, pk):
    return file_response(_document(pk))


@agent_required
def preview(request, pk):
    """An image shown inline in the viewer; any other type is only downloadable."""
    document = _document(pk)
    if not document.is_image:
        raise Http404
    return file_response(document, inline=True)


def claim_prefix(type_pk, concerns_key) -> str:
    return f"c{type_pk}-{concerns_key}"


@agent_required
def household(request, pk, claim_form=None, claim_key=None, status=200):
    household = get_object_or_404(Household, pk=pk)
    rows = []
    for req in selectors.requirements_for(household):
        prefix = claim_prefix(req.document_type.pk, req.concerns_key)
        form = claim_form if prefix == claim_key else ClaimForm(prefix=prefix)
        rows.append((req, form))
    return render(
        request,
        "documents/agent/household.html",
        {
            "household": household,
            "rows": rows,
            "history": selectors.history_of(household)[:50],
        },
        status=status,
    )


@agent_required
@require_POST
def claim(request, pk, type_pk, concerns):
    household_obj = get_object_or_404(Household, pk=pk)
    document_type = get_object_or_404(DocumentType, pk=type_pk)
    try:
        adult, child = selectors.concerns_from_key(household_obj, concerns)
    except selectors.UnknownConcerned as exc:
        raise Http404 from exc
    prefix = claim_prefix(document_type.pk, concerns)
    form = ClaimForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.request_document(
                household=household_obj,
                document_type=document_type,
                agent=request.user,
                message=form.cleaned_data["message"],
                adult=adult,
                child=child,
            )
        except ValueError as exc:
            raise Http404 from exc
        messages.success(request, _("The document is requested. The family has been told."))
        return redirect("documents_agent:household", pk=household_obj.pk)
    return household(request, pk, claim_form=form, claim_key=prefix, status=400)
