"""« Inscription scolaire @ »: enrol a new or existing child at one of the town's schools and a
class level, with the supporting documents it needs. Closing it enrols the child."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portail.agenda.services import change_school
from portail.core import clock
from portail.core.forms import BoundedDateField
from portail.families.models import Child, School
from portail.families.services import enrol_child
from portail.procedures.kinds import register
from portail.procedures.kinds.base import Procedure, Step, StepForm

NEW = "new"


class EnrolmentForm(StepForm):
    child = forms.ChoiceField(label=_("Child to enrol"))
    first_name = forms.CharField(
        label=_("First name of the new child"), max_length=100, required=False
    )
    last_name = forms.CharField(
        label=_("Last name of the new child"), max_length=100, required=False
    )
    birth_date = BoundedDateField(
        label=_("Birth date of the new child"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.all(), empty_label=_("Select from the list...")
    )
    level = forms.ChoiceField(
        label=_("Class level"),
        choices=[("", _("Select from the list..."))] + list(Child.Level.choices),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(NEW, _("A new child"))] + [
            (str(c.pk), str(c)) for c in Child.objects.filter(household=self.household)
        ]

    def clean_birth_date(self):
        day = self.cleaned_data.get("birth_date")
        if day and not (clock.today().year - 12 <= day.year and day <= clock.today()):
            raise ValidationError(_("Check the birth date."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("child") == NEW:
            for name in ("first_name", "last_name", "birth_date"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required for a new child."))
        return data


@register
class EnrolmentProcedure(Procedure):
    slug = "inscription-scolaire"
    title = _("School enrolment @")
    description = _("Enrol a new or existing child at one of the town's schools.")
    position = 30
    steps = [Step(_("Child, school and class level"), EnrolmentForm)]
    valid_documents_to_close = True

    def _parse(self, data, household):
        child = None
        if data.get("child") and data["child"] != NEW:
            child = Child.objects.filter(household=household, pk=data["child"]).first()
        school = School.objects.filter(pk=data.get("school")).first()
        birth = datetime.date.fromisoformat(data["birth_date"]) if data.get("birth_date") else None
        return child, school, birth

    def documents_child(self, data, household):
        child, _school, _birth = self._parse(data, household)
        if child is None and data.get("child") == NEW:
            # Not registered yet: only its name to show (its documents come once enrolled).
            return Child(household=household, first_name=data.get("first_name", ""))
        return child

    def summary(self, data, household=None):
        child, school, birth = self._parse(data, household)
        name = str(child) if child else f"{data.get('first_name', '')} {data.get('last_name', '')}"
        lines = [(_("Child to enrol"), name.strip())]
        if not child and birth:
            lines.append((_("Birth date of the new child"), birth.strftime("%d/%m/%Y")))
        lines += [
            (_("School"), str(school or "")),
            (_("Class level"), str(Child.Level(data["level"]).label) if data.get("level") else ""),
        ]
        return lines

    def validate(self, data, household):
        child, school, birth = self._parse(data, household)
        if data.get("child") != NEW and child is None:
            raise ValidationError(_("The request is incomplete."))
        if data.get("child") == NEW and not (
            data.get("first_name") and data.get("last_name") and birth
        ):
            raise ValidationError(_("The request is incomplete."))
        if school is None or data.get("level") not in Child.Level.values:
            raise ValidationError(_("The request is incomplete."))

    def apply(self, service_request, actor):
        data, household = service_request.data, service_request.household
        self.validate(data, household)
        child, school, birth = self._parse(data, household)
        if child is not None and child.school_id and child.school_id != school.pk:
            # A move: the bookings at the old school from today on are cancelled, not charged.
            change_school(child, school, clock.today(), actor)
        enrolled = enrol_child(
            household,
            child=child,
            school=school,
            level=data["level"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            birth_date=birth,
        )
        if child is None:
            # Keep the new child's id, so a second look at the request shows who was created.
            service_request.data = {**data, "child": str(enrolled.pk)}

    def request_title(self, data, household=None):
        child, _school, _birth = self._parse(data, household)
        first = child.first_name if child else data.get("first_name", "")
        return f"{self.title} – {first}"
