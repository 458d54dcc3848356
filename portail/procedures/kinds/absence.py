"""« Déclarer l'absence d'un enfant » (FAQ §7): one date, some slots, a reason; closing it
cancels those bookings and records an excused absence (billing follows the reason)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portail.agenda.forms import SchoolDayField
from portail.agenda.models import AbsenceReason, Activity
from portail.agenda.selectors import cancellable_bookings
from portail.agenda.services import declare_absence
from portail.core import clock
from portail.core.converters import parse_id
from portail.families.models import Child
from portail.procedures.kinds import register
from portail.procedures.kinds.base import TERMS_LABEL, Procedure, Step, StepForm


def _child(household, pk):
    return Child.objects.select_related("school").filter(household=household, pk=pk).first()


class TermsAndChildForm(StepForm):
    terms = forms.BooleanField(label=TERMS_LABEL)
    child = forms.ModelChoiceField(
        label=_("Child"), queryset=Child.objects.none(), empty_label=_("Select from the list...")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Child.objects.filter(household=self.household)
        self.fields["terms"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("pages:terms"), _("Read the terms of use")
        )
        # The child's school and level appear as soon as the child is chosen (htmx).
        # (data-hx-*: htmx reads them, and they are valid HTML, unlike hx-*).
        self.fields["child"].widget.attrs.update(
            {
                "data-hx-get": reverse("procedures:child_info"),
                "data-hx-trigger": "change",
                "data-hx-target": "#child-info",
                "data-hx-swap": "innerHTML",
                "aria-controls": "child-info",
            }
        )

    def selected_child(self):
        pk = self.data.get(self.add_prefix("child")) if self.is_bound else self.initial.get("child")
        pk = parse_id(pk)  # a raw value from the form: 5,000 digits must not reach the query
        return _child(self.household, pk) if pk else None


class DateAndSlotsForm(StepForm):
    reason = forms.ModelChoiceField(
        label=_("Reason for the absence"),
        queryset=AbsenceReason.objects.filter(active=True),
        empty_label=_("Select from the list..."),
    )
    date = SchoolDayField(
        label=_("Date to remove (one date per request)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Slots to remove"),
        queryset=Activity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        child = _child(self.household, self.store.get("child"))
        self.child = child
        # The slots offered are those booked on the chosen day (none before a day is chosen:
        # « Suivant » with the date alone shows them).
        self.booked = []
        try:
            day = self.fields["date"].clean(self["date"].value())
        except ValidationError:
            day = None
        if child and day:
            self.booked = cancellable_bookings(child, day)
        self.fields["activities"].queryset = Activity.objects.filter(
            pk__in=[a.pk for a in self.booked]
        )
        self.fields["activities"].label_from_instance = lambda a: a.name
        self.fields["activities"].required = False
        if not self.booked:
            self.fields["activities"].help_text = _(
                "Choose the date first: the slots booked that day appear here."
            )
        if child:
            # The booked slots appear as soon as the date is typed (htmx; without JavaScript,
            # « Suivant » with the date alone shows them).
            self.fields["date"].widget.attrs.update(
                {
                    "hx-get": reverse("procedures:absence_slots") + f"?child={child.pk}",
                    "hx-trigger": "change",
                    "hx-target": "next .field",
                    "hx-swap": "outerHTML",
                }
            )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < clock.today():
            raise ValidationError(_("Choose today or a later date."))
        if self.child and not self.booked:
            raise ValidationError(
                _(
                    "%(name)s has no booking the service can still cancel on %(date)s (a "
                    "Sunday, a closed day or a day with nothing booked): choose a booked day."
                )
                % {"name": self.child.first_name, "date": day.strftime("%d/%m/%Y")}
            )
        return day

    def clean_activities(self):
        activities = self.cleaned_data["activities"]
        if self.booked and not activities:
            raise ValidationError(_("Tick the slots to remove among those booked that day."))
        return activities


@register
class AbsenceProcedure(Procedure):
    slug = "absence"
    title = _("Report a child's absence")
    description = _(
        "Only absences can be declared with this form: one date per request, the slots to remove."
    )
    position = 10
    review_title = _("Date and slots to remove")
    steps = [
        Step(_("Terms and child"), TermsAndChildForm, "procedures/kinds/absence_child.html"),
        Step(
            _("Date and slots to remove"), DateAndSlotsForm, "procedures/kinds/absence_slots.html"
        ),
    ]

    def parse(self, data, household):
        child = _child(household, data.get("child"))
        reason = AbsenceReason.objects.filter(pk=data.get("reason")).first()
        activities = (
            list(Activity.objects.filter(pk__in=data.get("activities") or [], school=child.school))
            if child
            else []
        )
        day = datetime.date.fromisoformat(data["date"]) if data.get("date") else None
        return child, reason, day, activities

    def summary(self, data, household=None):
        child, reason, day, activities = self.parse(data, household)
        return [
            (_("Child"), str(child) if child else ""),
            (_("Reason for the absence"), str(reason or "")),
            (_("Date to remove (one date per request)"), day.strftime("%d/%m/%Y") if day else ""),
            (_("Slots to remove"), ", ".join(a.name for a in activities)),
        ]

    def validate(self, data, household):
        child, reason, day, activities = self.parse(data, household)
        if not (data.get("terms") and child and reason and day and activities):
            raise ValidationError(_("The request is incomplete."))
        if day < clock.today():
            raise ValidationError(_("Choose today or a later date."))
        SchoolDayField().validate(day)
        booked = cancellable_bookings(child, day)
        if not booked or not set(activities) <= set(booked):
            raise ValidationError(_("Some of these slots are no longer booked: check the date."))

    def apply(self, service_request, actor):
        child, reason, day, activities = self.parse(service_request.data, service_request.household)
        if not (child and reason and day and activities):
            raise ValidationError(_("The request is incomplete."))
        declare_absence(child, day, activities, reason, actor)

    def request_title(self, data, household=None):
        child, _reason, day, _acts = self.parse(data, household)
        if child and day:
            return f"{self.title} – {child.first_name}, {day:%d/%m/%Y}"
        return str(self.title)
