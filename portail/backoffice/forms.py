"""Forms of the family record, the search and the journal. The contact forms are « Mon
profil »'s (accounts.forms): an agent's correction follows the parents' rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portail.accounts.forms import AdultForm, ContactForm, HouseholdAddressForm
from portail.backoffice.audit_log import ACTIONS, action_label
from portail.core.forms import BoundedDateField
from portail.families.models import Child

__all__ = [
    "AdultForm",
    "ContactForm",
    "HouseholdAddressForm",
    "ChildCareForm",
    "QuotientForm",
    "JournalForm",
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search a family"), max_length=100)


class ChildCareForm(forms.ModelForm):
    """What the service corrects on a child (the school change moves bookings: agenda)."""

    class Meta:
        model = Child
        fields = ["level", "has_pai", "allergies", "no_pork", "gluten_free"]


class QuotientForm(forms.Form):
    family_quotient = forms.IntegerField(
        label=_("Family quotient"),
        min_value=0,
        max_value=99999,
        required=False,
        help_text=_("From the CAF, in euros; empty when the family has none."),
    )
    proof = forms.TypedChoiceField(
        label=_("Proof"), coerce=int, help_text=_("A document the family sent.")
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proof"].choices = [("", "—")] + [
            (d.pk, f"{d.document_type.name} – {d.uploaded_at:%d/%m/%Y}") for d in documents
        ]
        self.documents = {d.pk: d for d in documents}

    def clean_proof(self):
        return self.documents[self.cleaned_data["proof"]]


class JournalForm(forms.Form):
    family = forms.CharField(label=_("Family"), max_length=100, required=False)
    agent = forms.TypedChoiceField(label=_("Agent"), coerce=int, required=False, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = BoundedDateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = BoundedDateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [("", _("All"))] + [
            (u.pk, u.get_full_name() or u.username) for u in agents
        ]
        self.fields["action"].choices = [("", _("All"))] + sorted(
            ((code, action_label(code)) for code in ACTIONS), key=lambda choice: choice[1]
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
