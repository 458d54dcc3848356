"""Agents' side of « Nous contacter » (/gestion/messages/): the list, one message, the reply by
e-mail and « traité »."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portail.core.lists import Listing, Sort
from portail.core.permissions import agent_required
from portail.pages import selectors, services
from portail.pages.forms import ContactFilterForm, ReplyForm
from portail.pages.models import ContactMessage

SORTS = {
    "received": Sort(gettext_lazy("Received"), ("created_at",)),
    "sender": Sort(gettext_lazy("Sender"), ("name", "created_at")),
    "subject": Sort(gettext_lazy("Subject"), ("subject", "created_at")),
    "handled": Sort(gettext_lazy("Handled on"), ("handled_at", "created_at")),
}


@agent_required
def home(request):
    form = ContactFilterForm(request.GET or None)
    listing = Listing(
        request, selectors.contact_messages(**form.filters()), SORTS, default="received"
    )
    if listing.wants_export:
        return listing.csv(
            "messages-nous-contacter.csv",
            [
                (_("Received"), lambda m: m.created_at),
                (_("Sender"), lambda m: m.name),
                (_("E-mail"), lambda m: m.email),
                (_("Phone"), lambda m: m.phone),
                (_("Subject"), lambda m: m.subject),
                (_("Message"), lambda m: m.body),
                (_("Handled on"), lambda m: m.handled_at),
                (_("Handled by"), lambda m: m.handled_by or ""),
            ],
        )
    return render(request, "pages/agent/messages.html", {"form": form, "listing": listing})


@agent_required
def detail(request, pk, form=None, status=200):
    message = get_object_or_404(ContactMessage.objects.select_related("handled_by"), pk=pk)
    return render(
        request,
        "pages/agent/message.html",
        {
            "message": message,
            "replies": message.replies.all(),
            "form": form or ReplyForm(),
        },
        status=status,
    )


@agent_required
@require_POST
def reply(request, pk):
    message = get_object_or_404(ContactMessage, pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return detail(request, pk, form=form, status=400)
    services.reply_to_contact(message, request.user, form.cleaned_data["body"])
    messages.success(
        request,
        _("Your answer has been sent to %(email)s; the message is handled.")
        % {"email": message.email},
    )
    return redirect("pages_agent:detail", pk)


@agent_required
@require_POST
def handled(request, pk):
    message = get_object_or_404(ContactMessage, pk=pk)
    if request.POST.get("reopen") == "1":
        services.reopen_contact(message, request.user)
        messages.success(request, _("The message is back among those to handle."))
    else:
        services.mark_contact_handled(message, request.user)
        messages.success(request, _("The message is marked as handled."))
    return redirect("pages_agent:detail", pk)
