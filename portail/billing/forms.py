import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portail.billing import selectors, services
from portail.core import clock
from portail.core.forms import BoundedDateField
from portail.core.models import TownSettings
from portail.core.money import format_eur
from portail.families.models import School

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        kwargs.setdefault("error_messages", {"invalid": _("Enter an amount in euros, e.g. 25,00.")})
        if kwargs.get("min_value") is not None:
            # Django's own message would show « 0.01 »: the amount in French, formatted once.
            kwargs["error_messages"].setdefault(
                "min_value",
                _("Enter an amount of at least %(min)s.")
                % {"min": format_eur(kwargs["min_value"])},
            )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})


class TopUpForm(forms.Form):
    amount = AmountField(label=_("Amount to credit (€)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].help_text = _("Between %(min)s and %(max)s.") % {
            "min": format_eur(settings.BILLING_TOPUP_MIN),
            "max": format_eur(settings.BILLING_TOPUP_MAX),
        }

    def clean_amount(self):
        try:
            return services.check_topup_amount(self.cleaned_data["amount"])
        except services.BillingError as exc:
            raise forms.ValidationError(str(exc)) from exc


def _years(first: int):
    this_year = clock.today().year
    return [(y, str(y)) for y in range(this_year, min(first, this_year) - 1, -1)]


class StatementForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Civil year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["month"].choices = [("", _("Show all months")), *MONTHS]


class TaxCertificateForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Civil year"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose a civil year already over.")},
    )
    child = forms.TypedChoiceField(label=_("Child"), coerce=int)

    def __init__(self, *args, household=None, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["child"].choices = [
            (c.pk, f"{c.first_name} {c.last_name}") for c in household.children.all()
        ]

    def clean(self):
        data = super().clean()
        if "year" in data and "child" in data:
            child = self.household.children.get(pk=data["child"])
            if not selectors.tax_certificate_eligible(child, data["year"]):
                self.add_error(
                    "child",
                    _("%(name)s was 6 or older on 1 January %(year)s: no tax certificate.")
                    % {"name": child.first_name, "year": data["year"]},
                )
            data["child_obj"] = child
        return data


class CashForm(forms.Form):
    amount = AmountField(label=_("Amount received in cash (€)"), min_value=Decimal("0.01"))
    payer_name = forms.CharField(
        label=_("Payer's name"),
        required=False,
        max_length=255,
        help_text=_("Leave empty for the account holder."),
    )
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].help_text = _("At most %(limit)s in cash (CGI art. 1680).") % {
            "limit": format_eur(TownSettings.current().cash_limit)
        }
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_amount(self):
        try:
            return services.check_cash_amount(self.cleaned_data["amount"])
        except services.BillingError as exc:
            raise forms.ValidationError(str(exc)) from exc


class JournalForm(forms.Form):
    date = BoundedDateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class RefundForm(forms.Form):
    amount = AmountField(label=_("Amount to refund (€)"), min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        # On the household's page beside the cash form: ids of their own (valid HTML).
        kwargs.setdefault("auto_id", "id_refund_%s")
        super().__init__(*args, **kwargs)


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("Reason of the correction"), max_length=500)


class ExportForm(forms.Form):
    KINDS = [("payments", _("Payments")), ("consumption", _("Consumption"))]
    kind = forms.ChoiceField(label=_("What"), choices=KINDS)
    start = BoundedDateField(label=_("From (date)"), widget=forms.DateInput(attrs={"type": "date"}))
    end = BoundedDateField(label=_("To (date)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period must be after its start."))
        return data


class NegativeFilterForm(forms.Form):
    """Filters of the accounts below zero (all optional; a wrong value is shown beside it)."""

    q = forms.CharField(label=_("Household name"), required=False, max_length=100)
    blocked = forms.ChoiceField(
        label=_("Bookings"),
        required=False,
        choices=[("", _("Blocked or not")), ("yes", _("Blocked")), ("no", _("Not blocked yet"))],
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        required=False,
        queryset=School.objects.order_by("name"),
        empty_label=_("All schools"),
    )
    min_days = forms.IntegerField(
        label=_("Negative for at least (days)"), required=False, min_value=0, max_value=3650
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        blocked = data.get("blocked")
        return {
            "q": data.get("q") or "",
            "blocked": None if not blocked else blocked == "yes",
            "school": data.get("school"),
            "min_days": data.get("min_days"),
        }
