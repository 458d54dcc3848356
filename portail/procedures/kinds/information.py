"""« Demande de renseignement »: a question filed with or without an account; the agent's
answer goes back by e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portail.procedures.kinds import register
from portail.procedures.kinds.base import Procedure, Step, StepForm


class InformationForm(StepForm):
    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    message = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea)
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this field empty"))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


@register
class InformationProcedure(Procedure):
    slug = "renseignement"
    title = _("Request for information")
    description = _("A question to the school and after-school service; no account needed.")
    login_required = False
    position = 90
    steps = [Step(_("Your question"), InformationForm)]
    answer_required = True

    def summary(self, data, household=None):
        return [
            (_("Your name"), data.get("name", "")),
            (_("Your e-mail"), data.get("email", "")),
            (_("Subject"), data.get("subject", "")),
            (_("Your message"), data.get("message", "")),
        ]

    def request_title(self, data, household=None):
        return f"{self.title} – {data.get('subject', '')}"
