from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portail.core import clock
from portail.core.forms import BoundedDateField
from portail.documents.models import DocumentType, SupportingDocument
from portail.documents.services import upload_document
from portail.documents.uploads import EXTENSIONS, check_upload, human_size, max_bytes


def upload_help():
    return _("Accepted formats: %(extensions)s. %(max)s at most.") % {
        "extensions": EXTENSIONS,
        "max": human_size(max_bytes()),
    }


class DocumentFileField(forms.FileField):
    """A file field with every check of a supporting document; usable in any form."""

    default_error_messages = {
        "required": _("Choose a file."),
        "empty": _("The file is empty."),
        "invalid": _("No file was sent. Choose a file and try again."),
        "missing": _("No file was sent. Choose a file and try again."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Document"))
        kwargs.setdefault("help_text", lazy(upload_help, str)())
        kwargs.setdefault(
            "widget",
            forms.FileInput(attrs={"accept": ".doc,.pdf,.jpg,.jpeg,.png,.odt"}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.checked = check_upload(upload)
        return upload


class UploadForm(forms.Form):
    file = DocumentFileField()


class ValidateForm(forms.Form):
    valid_until = BoundedDateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Pre-filled from the document type; empty: no end of validity."),
    )

    def clean_valid_until(self):
        day = self.cleaned_data["valid_until"]
        if day is not None and day < clock.today():
            raise ValidationError(_("The end of validity cannot be in the past."))
        return day


class InvalidateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the refusal"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The family reads it in its message."),
        error_messages={"required": _("Give the reason of the refusal.")},
    )


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the family"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message to the family.")},
    )


class QueueFilterForm(forms.Form):
    """The agents' queue: documents not processed by default, or of another status."""

    status = forms.ChoiceField(
        label=_("Status of the document"),
        required=False,
        choices=list(SupportingDocument.Status.choices) + [("all", _("All statuses"))],
    )
    document_type = forms.ModelChoiceField(
        label=_("Type of document"),
        required=False,
        queryset=DocumentType.objects.order_by("name"),
        empty_label=_("All types"),
    )
    since = BoundedDateField(
        label=_("Sent from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        label=_("Sent until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or SupportingDocument.Status.PENDING
        return {
            "status": None if status == "all" else status,
            "document_type": data.get("document_type"),
            "since": data.get("since"),
            "until": data.get("until"),
        }


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Family, adult or child name"), max_length=100, required=False)


class RequirementUploadsForm(forms.Form):
    """One file field per requirement still to provide, for a procedure's own form
    (`enctype="multipart/form-data"`). Requirements already valid or waiting for an agent get
    no field: the procedure links their document instead.

        reqs = requirements_for(household, "inscription-scolaire")
        form = RequirementUploadsForm(request.POST or None, request.FILES, requirements=reqs)
        if form.is_valid():
            form.save(user=request.user)  # inside the procedure service's transaction
    """

    def __init__(self, *args, requirements, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = {}
        for req in requirements:
            if not req.needs_upload:
                continue
            name = f"document_{req.document_type.pk}_{req.concerns_key.replace('-', '_')}"
            self.fields[name] = DocumentFileField(
                label=f"{req.document_type.name} – {req.concerns_label}", required=required
            )
            self.requirements[name] = req

    def save(self, *, user) -> list:
        documents = []
        for name, req in self.requirements.items():
            upload = self.cleaned_data.get(name)
            if upload:
                documents.append(
                    upload_document(
                        household=req.household,
                        document_type=req.document_type,
                        file=upload,
                        uploaded_by=user,
                        adult=req.adult,
                        child=req.child,
                    )
                )
        return documents
