from django import forms
from django.utils.translation import gettext_lazy as _

from portail.pages.models import ContactMessage


class ContactForm(forms.ModelForm):
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "phone", "subject", "body"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
