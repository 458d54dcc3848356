"""The invited parent's side: choose an identifier and a password, then find the household."""

from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from portail.billing.selectors import balance_of
from portail.families.scoping import household_required
from portail.imports import forms, services


@never_cache
def invitation(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "imports/invitation_invalid.html", status=404)
    adult = invitation.adult
    form = forms.InvitationAcceptForm(request.POST or None, adult=adult)
    if request.method == "POST" and form.is_valid():
        user = services.accept_invitation(
            invitation, form.cleaned_data["username"], form.cleaned_data["password1"]
        )
        login(request, user, backend="portail.accounts.backends.ModelBackend")
        return redirect("imports:welcome")
    return render(request, "imports/invitation.html", {"form": form, "adult": adult})


@household_required
def welcome(request):
    household = request.household
    return render(
        request,
        "imports/welcome.html",
        {
            "household": household,
            "children": household.children.select_related("school"),
            "balance": balance_of(household),
        },
    )
