from allauth.account.internal.flows.manage_email import assess_unique_email
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portail.accounts.forms import HouseholdDetailsForm


class SignupForm(HouseholdDetailsForm, AllauthSocialSignupForm):
    """First FranceConnect login without an account: the names come from FranceConnect (shown,
    not editable), the e-mail is confirmed or changed (a changed one is confirmed by our mail),
    and the household's details are asked as at sign-up."""

    field_order = [
        "email",
        "username",
        "phone",
        "address_line1",
        "address_line2",
        "postcode",
        "city",
        "accept_terms",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["username"].label = _("Identifier")
        self.fields["username"].help_text = _(
            "Letters without accents, digits and . - _ only; with it and a password chosen "
            "later in « options », you can also sign in without FranceConnect."
        )

    def validate_unique_email(self, value):
        # The address FranceConnect vouches for already has an account: say so (its owner is
        # the one signing in) and how to link, rather than allauth's silent « check your mail ».
        proven = {a.email.lower() for a in self.sociallogin.email_addresses if a.verified}
        if value.lower() in proven and assess_unique_email(value) is not True:
            raise ValidationError(
                _(
                    "An account already uses this address. Sign in with its identifier and "
                    "password, then link FranceConnect in « Mon profil » › « options »."
                )
            )
        return super().validate_unique_email(value)

    @property
    def identity(self):
        user = self.sociallogin.user
        return {"first_name": user.first_name, "last_name": user.last_name}

    def save(self, request):
        # Another address than FranceConnect's: the account gets only that one, unconfirmed,
        # so our activation mail proves it before the first sign-in.
        email = (self.cleaned_data.get("email") or "").lower()
        self.sociallogin.email_addresses = [
            a for a in self.sociallogin.email_addresses if a.email.lower() == email
        ]
        with transaction.atomic():
            return super().save(request)

    def signup(self, request, user):
        self.create_household(user, user.first_name, user.last_name)
