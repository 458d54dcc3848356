from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portail.accounts import forms, services
from portail.accounts.models import ClosureRequest
from portail.accounts.my_data import export_json
from portail.core import clock
from portail.core.confirm import confirmation_page
from portail.families import services as family_services
from portail.families.models import Adult, Child, Contact
from portail.families.scoping import get_for_household, household_required


def forgotten(request):
    """« Mot de passe ou identifiant oublié »: choose what was lost."""
    return render(request, "accounts/forgotten.html")


def lost_identifier(request):
    """« J'ai perdu mon identifiant »: the same answer whether or not the address has an account."""
    form = forms.LostIdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        # Same limits as password reset mails; over them, the same answer and no mail.
        if ratelimit.consume(request, action="reset_password", key=email):
            services.send_identifier(email, request.build_absolute_uri(reverse("account_login")))
        return render(request, "accounts/identifier_sent.html")
    return render(request, "accounts/lost_identifier.html", {"form": form})


# --- « Mon profil » ------------------------------------------------------------------------


@login_required
def profile(request):
    household = request.household
    if household is None:
        # Agents and administrators have no household: their profile is their options.
        return redirect("accounts:options")
    return render(
        request,
        "accounts/profile.html",
        {
            "household": household,
            "adults": household.adults.select_related("user"),
            "children": household.children.select_related("school"),
            "contacts": household.contacts.all(),
        },
    )


def _edit(request, form_class, save, *, instance=None, title, **form_kwargs):
    """A profile form: « mettre à jour » saves through `save(cleaned_data)`; errors keep input."""
    form = form_class(request.POST or None, instance=instance, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        save(form.cleaned_data)
        messages.success(request, _("Your profile has been updated."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_form.html", {"form": form, "title": title})


@household_required
def edit_address(request):
    household = request.household
    return _edit(
        request,
        forms.HouseholdAddressForm,
        lambda data: family_services.update_household_address(household, data),
        instance=household,
        title=gettext_lazy("Addresses"),
    )


@household_required
def edit_adult(request, pk=None):
    household = request.household
    adult = get_for_household(Adult, household, pk) if pk else None
    return _edit(
        request,
        forms.AdultForm,
        lambda data: family_services.save_adult(household, data, adult),
        instance=adult,
        title=gettext_lazy("Edit an adult") if adult else gettext_lazy("Add an adult"),
    )


@household_required
def edit_child(request, pk=None):
    household = request.household
    child = get_for_household(Child, household, pk) if pk else None
    return _edit(
        request,
        forms.ChildForm,
        lambda data: family_services.save_child(household, data, child),
        instance=child,
        title=gettext_lazy("Edit a child") if child else gettext_lazy("Add a child"),
    )


@household_required
def edit_contact(request, pk=None):
    household = request.household
    contact = get_for_household(Contact, household, pk) if pk else None
    return _edit(
        request,
        forms.ContactForm,
        lambda data: family_services.save_contact(household, data, contact),
        instance=contact,
        title=gettext_lazy("Edit a contact") if contact else gettext_lazy("Add a contact"),
    )


@require_POST
@household_required
def delete_contact(request, pk):
    contact = get_for_household(Contact, request.household, pk)
    ask = confirmation_page(
        request,
        _("Delete the contact %(value)s?") % {"value": contact.value},
        _("Yes, delete"),
        reverse("accounts:profile"),
    )
    if ask:
        return ask
    family_services.delete_contact(request.household, contact)
    messages.success(request, _("The contact has been deleted."))
    return redirect("accounts:profile")


# --- « options » ---------------------------------------------------------------------------


@login_required
def options(request):
    return render(request, "accounts/options.html")


@login_required
def change_username(request):
    """« Modifier mon identifiant »: asks the current password, confirmed by e-mail."""
    form = forms.ChangeUsernameForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_username(request.user, form.cleaned_data["username"])
        messages.success(
            request, _("Your identifier has been changed. A confirmation e-mail has been sent.")
        )
        return redirect("accounts:options")
    return render(request, "accounts/change_username.html", {"form": form})


def cancel_email_change(request, token):
    """The link mailed to the old address: shows the change, cancels it on POST (a mail
    scanner following the link cancels nothing). No sign-in: the account may be in other hands."""
    change = services.email_change_for_token(token)
    context = {"change": change, "days": services.EMAIL_CHANGE_CANCEL_DAYS}
    if change is None:
        return render(request, "accounts/cancel_email_change.html", context, status=404)
    if request.method == "POST":
        try:
            services.cancel_email_change(change)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
        else:
            context["done"] = True
    return render(request, "accounts/cancel_email_change.html", context)


# --- « Mes données » (RGPD) ----------------------------------------------------------------


@household_required
def my_data(request):
    return render(
        request,
        "accounts/my_data.html",
        {
            "closure": ClosureRequest.objects.filter(user=request.user, confirmed_at=None).first(),
            "closure_form": forms.ClosureRequestForm(),
        },
    )


@household_required
def download_data(request):
    content = export_json(request.household)
    name = f"mes-donnees-{clock.today().isoformat()}.json"
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@household_required
def request_closure(request):
    form = forms.ClosureRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/my_data.html",
            {"closure": None, "closure_form": form},
            status=200,
        )
    services.request_closure(request.user, form.cleaned_data["reason"])
    messages.success(
        request,
        _("Your request has been sent. An agent will confirm the closure of your account."),
    )
    return redirect("accounts:my_data")
