"""The agents' side: the queue of requests, a request's file and the actions on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portail.core.lists import Listing, Sort
from portail.core.permissions import agent_required
from portail.core.services import mark_seen
from portail.procedures import rules, selectors, services
from portail.procedures.forms import AgentActionForm, QueueFilterForm
from portail.procedures.models import Role, ServiceRequest, Status

QUEUE_SORTS = {
    "submitted": Sort(gettext_lazy("Submitted on"), ("submitted_at",)),
    "reference": Sort(gettext_lazy("Reference"), ("reference",)),
    "kind": Sort(gettext_lazy("Request"), ("kind", "submitted_at")),
    "family": Sort(gettext_lazy("Family"), ("household__name", "contact_name")),
    "status": Sort(gettext_lazy("Status of the request"), ("status", "submitted_at")),
}


def _family(sr) -> str:
    return sr.household.name if sr.household else f"{sr.contact_name} <{sr.contact_email}>"


@agent_required
def home(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    requests = selectors.queue(
        status=filters.get("status") or None,
        kind=filters.get("kind") or None,
        since=filters.get("since"),
        until=filters.get("until"),
        q=filters.get("q") or None,
    )
    listing = Listing(request, requests, QUEUE_SORTS, default="submitted")
    if listing.wants_export:
        return listing.csv(
            "demandes.csv",
            [
                (_("Reference"), lambda sr: sr.reference),
                (_("Submitted on"), lambda sr: sr.submitted_at),
                (_("Request"), lambda sr: sr.procedure.title),
                (_("Family"), _family),
                (_("Status of the request"), lambda sr: sr.get_status_display()),
            ],
        )
    mark_seen(request.user, "requests")  # the dashboard's « new » badge starts again
    return render(request, "procedures/agent/queue.html", {"form": form, "listing": listing})


ACTIONS = {
    "take": (Status.PROCESSING, services.take, gettext_lazy("Take into processing")),
    "close": (Status.CLOSED, services.close, gettext_lazy("Close (carry out the request)")),
    "reject": (Status.REJECTED, services.reject, gettext_lazy("Refuse")),
    "send_back": (
        Status.DRAFT,
        services.send_back,
        gettext_lazy("Send back to the family for a correction"),
    ),
}


def _available(sr):
    return [
        (name, label)
        for name, (target, _fn, label) in ACTIONS.items()
        if rules.is_allowed(sr.status, target, Role.AGENT)
    ]


@agent_required
def detail(request, pk, form=None):
    sr = get_object_or_404(ServiceRequest.objects.select_related("household"), pk=pk)
    data = sr.shown_data
    return render(
        request,
        "procedures/agent/detail.html",
        {
            "sr": sr,
            "procedure": sr.procedure,
            "summary": sr.procedure.summary(data, sr.household),
            "documents_child": sr.procedure.documents_child(data, sr.household),
            "history": sr.history.select_related("actor"),
            "actions": _available(sr),
            "form": form or AgentActionForm(override=_may_override(sr)),
        },
    )


def _may_override(sr) -> bool:
    """The reason field shows while closing is possible and documents are not all valid."""
    return rules.is_allowed(sr.status, Status.CLOSED, Role.AGENT) and bool(
        services.documents_not_valid(sr)
    )


@agent_required
@require_POST
def act(request, pk):
    sr = get_object_or_404(ServiceRequest, pk=pk)
    form = AgentActionForm(request.POST, override=_may_override(sr))
    action = request.POST.get("action")
    if action not in ACTIONS or not form.is_valid():
        return detail(request, pk, form=form)
    _target, fn, _label = ACTIONS[action]
    extra = {}
    if action == "close":
        extra["override_reason"] = form.cleaned_data.get("override_reason", "")
    try:
        fn(sr, request.user, form.cleaned_data["comment"], **extra)
    except services.TransitionNotAllowed:
        messages.error(request, _("This change is not allowed in the request's current status."))
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "override_reason" in form.fields:
            form.add_error(None, exc)  # beside the reason field
        else:
            form.add_error("comment", exc.messages)
        return detail(request, pk, form=form)
    else:
        sr.refresh_from_db()
        messages.success(
            request,
            _("Request %(ref)s: %(status)s.")
            % {"ref": sr.reference, "status": sr.get_status_display()},
        )
    return redirect("procedures_agent:detail", pk)
