"""The parents' side: catalogue, the steps of a procedure, review, « Mes demandes », details."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portail.core import ratelimit
from portail.core.confirm import confirmation_page
from portail.core.converters import parse_id
from portail.families.models import Child
from portail.families.scoping import household_required
from portail.procedures import selectors, services
from portail.procedures.kinds import all_procedures, get_procedure
from portail.procedures.kinds.absence import DateAndSlotsForm
from portail.procedures.models import Status
from portail.procedures.step_views import STEP_VIEWS


def catalogue(request):
    return render(request, "procedures/catalogue.html", {"procedures": all_procedures()})


def _next_url(sr, index):
    procedure = sr.procedure
    if index + 1 < len(procedure.steps):
        return reverse("procedures:step", args=[sr.pk, index + 1])
    return reverse("procedures:review", args=[sr.pk])


def _step_context(procedure, index, form, sr=None):
    return {
        "procedure": procedure,
        "step": procedure.steps[index],
        "index": index,
        "count": len(procedure.steps),
        "form": form,
        "sr": sr,
    }


def start(request, slug):
    procedure = get_procedure(slug)
    if not procedure.login_required:
        return _public(request, procedure)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.household is None:
        raise Http404
    step = procedure.steps[0]
    form = step.form_class(request.POST or None, household=request.household, data_store={})
    if request.method == "POST" and form.is_valid():
        data = procedure.on_step_saved(0, form.to_data(), {}, request.household)
        try:
            sr = services.start_draft(procedure, request.household, request.user, data, step=1)
        except services.TooManyDrafts as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(_next_url(sr, 0))
    return render(request, step.template, _step_context(procedure, 0, form))


def _public(request, procedure):
    """A procedure open without an account (« Demande de renseignement »). A family's request
    is filed at once (its mails go to the household's verified addresses); anyone else's waits
    for the address to be proven by the one link mailed to it."""
    step = procedure.steps[0]
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    form = step.form_class(
        request.POST or None, initial=initial, household=request.household, data_store={}
    )
    if request.method == "POST":
        if request.household is None and ratelimit.client_over_limit(request, procedure.slug):
            return ratelimit.too_many_requests(request)
        if form.is_valid():
            data = form.to_data()
            if data.pop("website", ""):  # a bot: say thanks, keep nothing
                return redirect("procedures:catalogue")
            if request.household is not None:
                sr = services.file_public_request(
                    procedure,
                    data,
                    data["name"],
                    data["email"],
                    user=request.user,
                    household=request.household,
                )
                messages.success(
                    request,
                    _("Your request %(ref)s has been sent to the service.") % {"ref": sr.reference},
                )
                return redirect("procedures:catalogue")
            email = data["email"]
            if ratelimit.hit(f"{procedure.slug}:email", email, settings.ANONYMOUS_FORMS_PER_EMAIL):
                services.ask_confirmation(procedure, data, data["name"], email)
                return render(request, "procedures/confirm_sent.html", {"email": email})
            form.add_error(
                "email",
                _(
                    "A confirmation link has just been sent to this address. Open it to send "
                    "your request, or try again in an hour."
                ),
            )
    return render(request, step.template, _step_context(procedure, 0, form))


def confirm(request, token):
    """The link mailed to the sender: shows the request; the button (POST) sends it. A GET
    alone changes nothing, so a mail scanner opening links confirms nothing."""
    if request.method == "POST":
        sr = services.confirm(token)
        if sr is not None:
            messages.success(
                request,
                _(
                    "Your request %(ref)s has been sent to the service. The answer will come by "
                    "e-mail to %(email)s."
                )
                % {"ref": sr.reference, "email": sr.contact_email},
            )
            return redirect("procedures:catalogue")
    pending = services.pending_confirmation(token)
    procedure = get_procedure(pending.kind) if pending else None
    return render(
        request,
        "procedures/confirm.html",
        {
            "pending": pending,
            "procedure": procedure,
            "summary": procedure.summary(pending.data) if pending else [],
        },
        status=200 if pending else 404,
    )


def _modifiable(request, pk):
    sr = selectors.request_of(request.household, pk)
    if not sr.is_modifiable:
        messages.error(request, _("This request can no longer be modified."))
        return sr, redirect("procedures:detail", sr.pk)
    return sr, None


@household_required
def step(request, pk, index):
    sr, refused = _modifiable(request, pk)
    if refused:
        return refused
    procedure = sr.procedure
    if not 0 <= index < len(procedure.steps):
        raise Http404
    custom_view = STEP_VIEWS.get((procedure.slug, index))
    if custom_view is not None:
        return custom_view(request, sr, procedure, index)
    step = procedure.steps[index]
    store = sr.draft_data
    form = step.form_class(
        request.POST or None, initial=store, household=request.household, data_store=store
    )
    if request.method == "POST" and form.is_valid():
        data = procedure.on_step_saved(index, {**store, **form.to_data()}, store, request.household)
        services.save_step(sr, request.user, data, index + 1)
        return redirect(_next_url(sr, index))
    return render(request, step.template, _step_context(procedure, index, form, sr))


@household_required
def review(request, pk):
    sr, refused = _modifiable(request, pk)
    if refused:
        return refused
    procedure = sr.procedure
    return render(
        request,
        "procedures/review.html",
        {
            "sr": sr,
            "procedure": procedure,
            "summary": procedure.summary(sr.draft_data, request.household),
            "documents_child": procedure.documents_child(sr.draft_data, request.household),
            "last_step": len(procedure.steps) - 1,
        },
    )


@household_required
@require_POST
def submit(request, pk):
    sr, refused = _modifiable(request, pk)
    if refused:
        return refused
    try:
        sr = services.submit(sr, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("procedures:review", sr.pk)
    messages.success(
        request, _("Your request %(ref)s has been registered.") % {"ref": sr.reference}
    )
    return redirect("procedures:detail", sr.pk)


@household_required
@require_POST
def abandon(request, pk):
    sr, refused = _modifiable(request, pk)
    if refused:
        return refused
    was_draft = sr.status == Status.DRAFT
    ask = confirmation_page(
        request,
        _("Cancel this request? What you typed is deleted.")
        if was_draft
        else _("Abandon your changes? The request stays as you registered it."),
        _("Yes, cancel the request") if was_draft else _("Yes, abandon my changes"),
        reverse("procedures:edit", args=[sr.pk]),
        [str(sr.procedure.title)],
    )
    if ask:
        return ask
    services.discard(sr, request.user)
    if was_draft:
        messages.success(request, _("The request has been abandoned and deleted."))
        return redirect("procedures:my_requests")
    messages.success(request, _("Your changes have been abandoned; the request is unchanged."))
    return redirect("procedures:detail", sr.pk)


@household_required
@require_POST
def cancel(request, pk):
    sr = selectors.request_of(request.household, pk)
    ask = confirmation_page(
        request,
        _("Cancel the request %(ref)s?") % {"ref": sr.reference},
        _("Yes, cancel the request"),
        reverse("procedures:detail", args=[sr.pk]),
        [str(sr.procedure.title)],
    )
    if ask:
        return ask
    try:
        services.cancel(sr, request.user)
    except services.TransitionNotAllowed:
        messages.error(request, _("This request can no longer be cancelled."))
    else:
        messages.success(
            request, _("Your request %(ref)s has been cancelled.") % {"ref": sr.reference}
        )
    return redirect("procedures:detail", sr.pk)


@household_required
def edit(request, pk):
    sr, refused = _modifiable(request, pk)
    if refused:
        return refused
    steps = len(sr.procedure.steps)
    if sr.status == Status.DRAFT and sr.step >= steps and sr.procedure.review:
        return redirect("procedures:review", sr.pk)
    index = 0 if sr.status == Status.PENDING else min(sr.step, steps - 1)
    return redirect("procedures:step", sr.pk, index)


@household_required
def child_info(request):
    """The chosen child's school and level (htmx fragment of the absence form)."""
    pk = parse_id(request.GET.get("child"))
    child = (
        Child.objects.select_related("school").filter(household=request.household, pk=pk).first()
        if pk
        else None
    )
    return render(request, "procedures/kinds/_child_info.html", {"child": child})


@household_required
def my_requests(request):
    status = request.GET.get("statut") or None
    if status not in Status.values:
        status = None
    return render(
        request,
        "procedures/my_requests.html",
        {
            "requests": selectors.requests_of(request.household, status),
            "statuses": Status.choices,
            "current_status": status,
        },
    )


@household_required
def detail(request, pk):
    sr = selectors.request_of(request.household, pk)
    data = sr.shown_data
    return render(
        request,
        "procedures/detail.html",
        {
            "sr": sr,
            "procedure": sr.procedure,
            "summary": sr.procedure.summary(data, request.household),
            "history": sr.history.all(),
        },
    )


@household_required
def absence_slots(request):
    """The slots the child is booked for on the typed day (htmx fragment of the absence form)."""
    store = {"child": parse_id(request.GET.get("child"))}
    form = DateAndSlotsForm(
        initial={"date": request.GET.get("date", "")},
        household=request.household,
        data_store=store,
    )
    if form.child is None:
        raise Http404
    return render(request, "core/field.html", {"field": form["activities"]})
