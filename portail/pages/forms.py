from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from portail.core import ratelimit
from portail.core.forms import BoundedDateField
from portail.pages.models import ContactMessage

# A letter, not a file: longer messages are refused beside the field.
MESSAGE_MAX_LENGTH = 5000


class ContactForm(forms.ModelForm):
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this field empty"))

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "phone", "subject", "body"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "body": forms.Textarea(attrs={"maxlength": MESSAGE_MAX_LENGTH}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.max_length = MESSAGE_MAX_LENGTH
        body.validators.append(MaxLengthValidator(MESSAGE_MAX_LENGTH))
        body.help_text = _("At most %(n)s characters.") % {"n": MESSAGE_MAX_LENGTH}

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def within_limits(self) -> bool:
        """Once valid: agents answer this address, so one address cannot flood their mailbox."""
        email = self.cleaned_data["email"]
        if ratelimit.hit("contact:email", email, settings.ANONYMOUS_FORMS_PER_EMAIL):
            return True
        self.add_error(
            "email",
            _(
                "A message from this address has just been received. Please wait for the "
                "service's answer, or try again in an hour."
            ),
        )
        return False


class ContactFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("To handle")), ("handled", _("Handled")), ("all", _("All messages"))],
    )
    q = forms.CharField(label=_("Name, e-mail or subject"), required=False, max_length=100)
    since = BoundedDateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: data.get(k) or None for k in ("state", "q", "since", "until")}


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=_("Sent by e-mail to the sender's address, with their message quoted below."),
    )
