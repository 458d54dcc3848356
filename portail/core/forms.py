import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from portail.core.converters import FIRST_YEAR, LAST_YEAR


class PortalFormRenderer(TemplatesSetting):
    """Renders every form with the portal's field template (labels, « * », errors, help)."""

    form_template_name = "django/forms/div.html"
    field_template_name = "core/field.html"


class BoundedDateField(forms.DateField):
    """A date typed in a form, between 1900 and 2100: beyond, date arithmetic overflows and no
    date of the portal's life lies there."""

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {
                    "first": datetime.date(FIRST_YEAR, 1, 1).strftime("%d/%m/%Y"),
                    "last": datetime.date(LAST_YEAR, 12, 31).strftime("%d/%m/%Y"),
                },
                code="out_of_range",
            )
