import json

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from portail.imports.models import ImportRun, SourceMapping
from portail.imports.schema import validate_date_format, validate_mapping

MAX_FILE_BYTES = 20 * 1024 * 1024
EXTENSIONS = (".csv", ".txt", ".xlsx", ".ods")


class MappingForm(forms.ModelForm):
    mapping = forms.CharField(
        label=_("Column mapping (JSON)"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=_(
            "For each kind of file, our field and the column of the previous software, e.g. "
            '{"households": {"household_id": "N° famille", "name": "Nom"}}.'
        ),
    )

    class Meta:
        model = SourceMapping
        fields = ["name", "date_format"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["mapping"] = json.dumps(
                self.instance.mapping, ensure_ascii=False, indent=2
            )

    def clean_mapping(self):
        try:
            return validate_mapping(json.loads(self.cleaned_data["mapping"]))
        except json.JSONDecodeError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_date_format(self):
        try:
            return validate_date_format(self.cleaned_data["date_format"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class UploadForm(forms.Form):
    mapping = forms.ModelChoiceField(
        label=_("Previous software (column mapping)"), queryset=SourceMapping.objects.all()
    )
    kind = forms.ChoiceField(label=_("Content of the file"), choices=ImportRun.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (any delimiter and encoding), XLSX or ODS; 20 MB at most."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Expected a CSV, XLSX or ODS file."))
        return upload


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(
        label=_("Identifier"),
        max_length=150,
        help_text=_(
            "Letters without accents, digits and . - _ only; you will sign in with it (any case)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, adult=None, **kwargs):
        self.adult = adult
        super().__init__(*args, **kwargs)

    def clean_username(self):
        return get_adapter().clean_username(self.cleaned_data["username"])

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("You must type the same password each time."))
        elif p1:
            dummy = get_user_model()(
                username=cleaned.get("username") or "",
                email=self.adult.email,
                first_name=self.adult.first_name,
                last_name=self.adult.last_name,
            )
            try:
                password_validation.validate_password(p1, dummy)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
