"""The back-office side: the administrator imports files; agents follow the invitations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from portail.core.lists import Listing, Sort
from portail.core.permissions import admin_required, agent_required
from portail.core.spreadsheet import cell, csv_response
from portail.imports import forms, selectors, services
from portail.imports.models import ImportRun, Invitation, SourceMapping
from portail.imports.schema import FIELDS

SHOWN_LINES = 500


@admin_required
def home(request):
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = services.start_run(
            form.cleaned_data["mapping"],
            form.cleaned_data["kind"],
            form.cleaned_data["file"],
            request.user,
        )
        return redirect("imports_agent:run", run.pk)
    return render(
        request,
        "imports/home.html",
        {
            "form": form,
            "runs": selectors.recent_runs(),
            "mappings": SourceMapping.objects.all(),
        },
    )


@admin_required
def mapping(request, pk=None):
    instance = get_object_or_404(SourceMapping, pk=pk) if pk else None
    form = forms.MappingForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_mapping(form.cleaned_data, request.user, instance)
        messages.success(request, _("The column mapping is saved."))
        return redirect("imports_agent:home")
    fields = [(kind, label, FIELDS[kind]) for kind, label in ImportRun.Kind.choices]
    return render(
        request, "imports/mapping.html", {"form": form, "mapping": instance, "fields": fields}
    )


@admin_required
def run(request, pk):
    run = get_object_or_404(ImportRun.objects.select_related("mapping"), pk=pk)
    lines = run.lines or []
    refused = [line for line in lines if line["action"] == "refused"]
    return render(
        request,
        "imports/run.html",
        {
            "run": run,
            "done": selectors.progress(run),
            "refused": refused,
            "lines": lines[:SHOWN_LINES],
            "more": max(0, len(lines) - SHOWN_LINES),
        },
    )


@admin_required
@require_POST
def confirm(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        services.confirm_run(run, request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("imports_agent:run", run.pk)


@admin_required
def report_csv(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    response, writer = csv_response(f"import-{run.pk}.csv")
    writer.writerow([_("Line"), _("Id"), _("Result"), _("Details"), _("Reasons")])
    labels = action_labels()
    for line in run.lines or []:
        writer.writerow(
            _cells(
                [
                    line["line"],
                    line["key"],
                    labels.get(line["action"], line["action"]),
                    " ; ".join(line["details"]),
                    " ; ".join(line["errors"]),
                ]
            )
        )
    return response


def _cells(values) -> list[str]:
    return [cell(v) for v in values]


def action_labels() -> dict:
    return {
        "created": _("would be created / created"),
        "updated": _("would be updated / updated"),
        "unchanged": _("unchanged"),
        "refused": _("refused"),
    }


# --- invitations (agents of the service) ---


INVITATION_SORTS = {
    "household": Sort(gettext_lazy("Household"), ("adult__household__name", "adult__last_name")),
    "adult": Sort(gettext_lazy("Adult"), ("adult__last_name", "adult__first_name")),
    "sent": Sort(gettext_lazy("Sent on"), ("sent_at",)),
}


def _invitation_state(invitation) -> str:
    if invitation.accepted_at:
        return _("accepted on %(d)s") % {"d": invitation.accepted_at.strftime("%d/%m/%Y")}
    return pgettext("invitation", "expired") if invitation.expired else _("not yet accepted")


@agent_required
def invitations(request):
    state = request.GET.get("etat", "pending")
    listing = Listing(request, selectors.invitations(state), INVITATION_SORTS, default="household")
    if listing.wants_export:
        return listing.csv(
            "invitations.csv",
            [
                (_("Household"), lambda i: i.adult.household.name),
                (_("Adult"), lambda i: str(i.adult)),
                (_("E-mail"), lambda i: i.adult.email),
                (_("Sent on"), lambda i: i.sent_at),
                (_("State"), _invitation_state),
            ],
        )
    return render(
        request,
        "imports/invitations.html",
        {
            "listing": listing,
            "state": state,
            "without_email": selectors.adults_without_email().count(),
        },
    )


@agent_required
@require_POST
def resend(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.resend_invitation(invitation, request.user)
        messages.success(
            request,
            _("A new invitation was sent to %(email)s.") % {"email": invitation.adult.email},
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("imports_agent:invitations")


@agent_required
def without_email(request):
    adults = selectors.adults_without_email()
    if request.GET.get("format") == "csv":
        response, writer = csv_response("adultes-sans-email.csv")
        writer.writerow([_("Household"), _("Surname"), _("First name"), _("Phone"), _("Address")])
        for adult in adults.iterator():
            writer.writerow(
                _cells(
                    [
                        adult.household.name,
                        adult.last_name,
                        adult.first_name,
                        adult.phone,
                        adult.household.postal_address.replace("\n", ", "),
                    ]
                )
            )
        return response
    return render(request, "imports/without_email.html", {"listing": Listing(request, adults)})
