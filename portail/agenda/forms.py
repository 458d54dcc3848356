import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portail.agenda import deadline
from portail.agenda.days import plan_days
from portail.agenda.models import Activity
from portail.core.forms import BoundedDateField
from portail.families.models import Child, School

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
]
MAX_PERIOD_DAYS = 366


class SchoolDayField(BoundedDateField):
    """A day a parent types: within the school years the town serves (deadline.served_period),
    refused beside the field otherwise."""

    def validate(self, value):
        forms.DateField.validate(self, value)  # the served period lies within 1900-2100
        if value:
            first, last = deadline.served_period()
            if not first <= value <= last:
                raise forms.ValidationError(
                    _("Choose a date within the school years served, from %(first)s to %(last)s.")
                    % {"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")},
                    code="out_of_school_years",
                )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ChildrenField(forms.TypedMultipleChoiceField):
    """Some of the household's children, chosen by id among those the view already read: no
    query per form (a « saisie groupée » validates three forms on each page)."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, **kwargs)
        self.children = []

    def set_children(self, children):
        self.children = list(children)
        self.choices = [(c.pk, str(c)) for c in self.children]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return [getattr(v, "pk", v) for v in value]
        return value

    def clean(self, value):
        chosen = set(super().clean(value))
        return [c for c in self.children if c.pk in chosen]


class BulkChildrenForm(forms.Form):
    children = ChildrenField(
        label=_("Children"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one child.")},
    )
    action = forms.ChoiceField(
        choices=[
            ("create", pgettext_lazy("bulk booking", "create")),
            ("delete", pgettext_lazy("bulk booking", "delete")),
        ],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].set_children(children)


def check_period(form, max_days: int, too_long: str) -> None:
    """A form's `start`-`end` period: the end not before the start, at most `max_days` long
    (else `too_long` beside the end)."""
    start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    if start and end:
        if end < start:
            form.add_error("end", _("The end of the period is before its start."))
        elif (end - start).days > max_days:
            form.add_error("end", too_long)


class BulkPeriodForm(BulkChildrenForm):
    start = SchoolDayField(label=pgettext_lazy("date range", "From"), widget=DateInput())
    end = SchoolDayField(label=pgettext_lazy("date range", "To"), widget=DateInput())
    kinds = forms.MultipleChoiceField(
        label=_("Activities"),
        choices=Activity.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one activity.")},
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one weekday.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].widget = forms.MultipleHiddenInput()

    def clean(self):
        data = super().clean()
        check_period(self, MAX_PERIOD_DAYS, _("The period may last a school year at most."))
        return data


class BulkSaveForm(BulkPeriodForm):
    """The last step: the chosen days, among those of the period's weekdays."""

    days = forms.MultipleChoiceField(
        label=_("Days"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].widget = forms.HiddenInput()
        for name in ("kinds", "weekdays"):
            self.fields[name].widget = forms.MultipleHiddenInput()
        self.fields["days"].choices = [(d.isoformat(), d) for d in self.candidate_days()]

    def candidate_days(self):
        try:
            start = datetime.date.fromisoformat(self.data.get("start", ""))
            end = datetime.date.fromisoformat(self.data.get("end", ""))
        except ValueError:
            return []
        if end < start or (end - start).days > MAX_PERIOD_DAYS:
            return []
        return plan_days(start, end, self.data.getlist("weekdays"))

    def clean_days(self):
        return sorted(datetime.date.fromisoformat(d) for d in self.cleaned_data["days"])


def day_label(day):
    return formats.date_format(day, "l j F Y")


class SheetChoiceForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.all(), label=_("School"))
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Activity"), choices=Activity.Kind.choices)


class MoveChildForm(forms.Form):
    """« Changement d'école »: the new school and the day the child starts there."""

    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("New school"), empty_label=_("Choose a school")
    )
    effective = SchoolDayField(
        label=_("Effective date"),
        widget=DateInput(),
        help_text=_("The bookings at the current school from that day on are cancelled."),
    )
    level = forms.ChoiceField(label=_("Class level"), required=False)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.exclude(pk=child.school_id).order_by("name")
        self.fields["level"].choices = [("", _("Unchanged"))] + list(Child.Level.choices)


class ProposalsForm(forms.Form):
    """The equivalent bookings at the new school the agent books in one go."""

    chosen = forms.MultipleChoiceField(
        label=_("Bookings to make"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one booking.")},
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(p.key, p.key) for p in proposals if not p.reason]


class ClosedDayForm(forms.Form):
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    school = forms.ModelChoiceField(
        queryset=School.objects.all(),
        label=_("School"),
        required=False,
        empty_label=_("All schools"),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=150, help_text=_("For example: strike, training day.")
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day.weekday() >= 5:
            raise forms.ValidationError(_("Weekends are always closed."))
        return day


class PlainSelect(forms.Select):
    """A <select> built in Python: a school's other children are hundreds of options, and the
    widget templates cost one template per option (most of a 500-child sheet's rendering)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class AddChildForm(forms.Form):
    child = forms.ModelChoiceField(
        queryset=None, label=_("Child without a booking"), widget=PlainSelect
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class HeadcountPeriodForm(forms.Form):
    """The days of the headcounts page (« effectifs »): at most two months at once."""

    MAX_DAYS = 62

    start = SchoolDayField(label=pgettext_lazy("date range", "From"), widget=DateInput())
    end = SchoolDayField(label=pgettext_lazy("date range", "To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        check_period(self, self.MAX_DAYS, _("Show two months at most."))
        return data
