from django import forms
from django.utils.translation import gettext_lazy as _

from portail.core.forms import BoundedDateField
from portail.procedures.kinds import all_procedures
from portail.procedures.models import Status


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status of the request"),
        required=False,
        choices=[("", _("To process (pending and processing)"))] + list(Status.choices),
    )
    kind = forms.ChoiceField(label=_("Procedure"), required=False)
    since = BoundedDateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("Reference or family"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All procedures"))] + [
            (p.slug, p.title) for p in all_procedures()
        ]


class AgentActionForm(forms.Form):
    comment = forms.CharField(
        label=_("Message to the family"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to refuse, to send back for a correction or to answer a question."),
    )
    override_reason = forms.CharField(
        label=_("Reason for closing without valid documents"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the supporting documents are not all valid: it is kept with the request."
        ),
    )

    def __init__(self, *args, override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not override:
            del self.fields["override_reason"]
