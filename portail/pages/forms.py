from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from portail.core import ratelimit
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
