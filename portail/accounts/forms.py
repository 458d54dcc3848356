import re

from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portail.accounts.signals import signup_email_reserved
from portail.core import clock
from portail.families.models import Adult, Child, Contact, Household, School
from portail.families.services import create_household_for_signup

PHONE_RE = re.compile(r"^\+?[0-9 .\-()]{6,25}$")


def clean_phone_number(value: str) -> str:
    value = (value or "").strip()
    if value and (not PHONE_RE.match(value) or len(re.sub(r"\D", "", value)) < 10):
        raise ValidationError(_("Enter a phone number of at least 10 digits, e.g. 06 12 34 56 78."))
    return value


# Letters (any alphabet) in words joined by a space, a hyphen or an apostrophe: « Marie-Hélène »,
# « N'Diaye », « de la Tour »; no digits, no signs.
NAME_RE = re.compile(r"^[^\W\d_]+\.?(?:[ '’-]+[^\W\d_]+\.?)*$")


def clean_person_name(value: str) -> str:
    value = " ".join((value or "").split())
    if value and not NAME_RE.match(value):
        raise ValidationError(_("Enter a name with letters only (spaces, - and ' allowed)."))
    return value


def clean_postcode(value: str) -> str:
    value = (value or "").strip()
    if value and not re.fullmatch(r"\d{5}", value):
        raise ValidationError(_("Enter a postcode of 5 digits."))
    return value


def _plain(form, names=()):
    """No placeholders (labels are visible) and autocomplete hints for the browser."""
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        if name in names:
            field.widget.attrs["autocomplete"] = names[name]


LOGIN_MAX_LENGTH = 254


class LoginForm(AllauthLoginForm):
    """Login by identifier or e-mail, in any case."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Identifier or e-mail")
        # An identifier or an address is at most 254 characters; longer never reaches axes.
        self.fields["login"].max_length = LOGIN_MAX_LENGTH
        self.fields["login"].validators.append(MaxLengthValidator(LOGIN_MAX_LENGTH))
        self.fields["login"].widget.attrs["maxlength"] = LOGIN_MAX_LENGTH
        self.fields["login"].widget.attrs.update({"autocomplete": "username", "placeholder": ""})
        self.fields["password"].widget.attrs.update({"placeholder": ""})


class HouseholdDetailsForm(forms.Form):
    """What sign-up asks for the household (with a password or through FranceConnect)."""

    phone = forms.CharField(label=_("Phone"), max_length=30, validators=[clean_phone_number])
    address_line1 = forms.CharField(label=_("Address"), max_length=255)
    address_line2 = forms.CharField(label=_("Address (continued)"), max_length=255, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=5, validators=[clean_postcode])
    city = forms.CharField(label=_("City"), max_length=100)
    accept_terms = forms.BooleanField(
        label=_("I have read and accept the terms of use"),
        error_messages={"required": _("You must accept the terms of use to create an account.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("pages:terms"), _("Read the terms of use")
        )
        _plain(
            self,
            {
                "username": "username",
                "email": "email",
                "last_name": "family-name",
                "first_name": "given-name",
                "phone": "tel",
                "address_line1": "address-line1",
                "address_line2": "address-line2",
                "postcode": "postal-code",
                "city": "address-level2",
            },
        )

    def create_household(self, user, first_name: str, last_name: str):
        """The new account's household, the account holder as its first adult."""
        data = self.cleaned_data
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
        return create_household_for_signup(
            user,
            first_name=first_name,
            last_name=last_name,
            phone=data["phone"],
            address_line1=data["address_line1"],
            address_line2=data.get("address_line2", ""),
            postcode=data["postcode"],
            city=data["city"],
        )


class SignupForm(HouseholdDetailsForm, AllauthSignupForm):
    """« créer mon compte »: the account and its household, created together."""

    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)

    field_order = [
        "username",
        "email",
        "password1",
        "password2",
        "last_name",
        "first_name",
        "phone",
        "address_line1",
        "address_line2",
        "postcode",
        "city",
        "accept_terms",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Identifier")
        self.fields["username"].help_text = _(
            "Letters without accents, digits and . - _ only; you will sign in with it (any case)."
        )
        self.fields["email"].label = _("E-mail address")
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Password (again)")

    def clean(self):
        cleaned = super().clean()
        # Refuse passwords close to the names as well as to identifier and e-mail.
        password = cleaned.get("password1")
        if password and "password1" not in self.errors:
            dummy = get_user_model()(
                username=cleaned.get("username") or "",
                email=cleaned.get("email") or "",
                first_name=cleaned.get("first_name") or "",
                last_name=cleaned.get("last_name") or "",
            )
            try:
                password_validation.validate_password(password, dummy)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def try_save(self, request):
        email = self.cleaned_data.get("email")
        if not self.account_already_exists and email:
            answers = signup_email_reserved.send(sender=type(self), email=email, request=request)
            if any(answer for _receiver, answer in answers):
                # Same page as any sign-up: a stranger learns nothing more about the address.
                return None, redirect("account_email_verification_sent")
        return super().try_save(request)

    def save(self, request):
        with transaction.atomic():
            return super().save(request)

    def signup(self, request, user):
        data = self.cleaned_data
        self.create_household(user, data["first_name"], data["last_name"])


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        _plain(self, {"email": "email"})


class CurrentPasswordMixin:
    """A « Mot de passe actuel » field checked against `self.user`: a stolen session alone cannot
    change what identifies the account."""

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The current password is not correct."))
        return password


def current_password_field():
    return forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AddEmailForm(CurrentPasswordMixin, AllauthAddEmailForm):
    """« Modifier mon adresse e-mail »: the new address and the current password."""

    password = current_password_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("New e-mail address")
        _plain(self, {"email": "email"})


class LostIdentifierForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain(self, {"email": "email"})


class ChangeUsernameForm(CurrentPasswordMixin, forms.Form):
    """« Modifier mon identifiant »: the new identifier and the current password."""

    username = forms.CharField(label=_("New identifier"), max_length=150)
    password = current_password_field()

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean_username(self):
        value = self.cleaned_data["username"].strip().lower()
        if value == self.user.username:
            raise ValidationError(_("This is already your identifier."))
        return get_adapter().clean_username(value)


class ClosureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I ask for the closure of my account"),
        error_messages={"required": _("Tick the box to confirm your request.")},
    )


# --- « Mon profil » ------------------------------------------------------------------------


class HouseholdAddressForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["address_line1", "address_line2", "postcode", "city"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("address_line1", "postcode", "city"):
            self.fields[name].required = True
        self.fields["postcode"].validators.append(clean_postcode)
        _plain(
            self,
            {
                "address_line1": "address-line1",
                "address_line2": "address-line2",
                "postcode": "postal-code",
                "city": "address-level2",
            },
        )


class AdultForm(forms.ModelForm):
    class Meta:
        model = Adult
        fields = ["last_name", "first_name", "relationship", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(clean_phone_number)
        for name in ("first_name", "last_name"):
            self.fields[name].validators.append(clean_person_name)
        if self.instance.user_id:
            # The account holder's e-mail is changed in « options » (confirmed by a link).
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("Change it in « options ».")


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = [
            "last_name",
            "first_name",
            "birth_date",
            "school",
            "level",
            "no_pork",
            "gluten_free",
            "allergies",
            "has_pai",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.all()
        self.fields["birth_date"].help_text = _("Format: dd/mm/yyyy")
        self.fields["birth_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = clock.today()
        if value > today:
            raise ValidationError(_("The birth date cannot be in the future."))
        if value.year < today.year - 20:
            raise ValidationError(_("Check the birth date: the child would be over 20."))
        return value


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["channel", "value", "label"]

    def clean(self):
        cleaned = super().clean()
        channel, value = cleaned.get("channel"), (cleaned.get("value") or "").strip()
        if channel and value:
            try:
                if channel == Contact.Channel.EMAIL:
                    forms.EmailField().clean(value)
                    value = value.lower()
                else:
                    value = clean_phone_number(value)
            except ValidationError as exc:
                self.add_error("value", exc)
            else:
                cleaned["value"] = value
        return cleaned
