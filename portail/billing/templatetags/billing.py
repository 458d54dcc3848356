import dataclasses

from django import template

from portail.billing.selectors import forecast

register = template.Library()


@register.simple_tag
def forecast_after(household, change):
    """{% forecast_after household change as forecast %}: the balance forecast (billing's
    selector) once the booked services are consumed, moved by `change` (a bulk booking's
    total, negative to book): for pages of lower apps (agenda's saisie groupée summary)."""
    result = forecast(household)
    return dataclasses.replace(result, projected=result.projected + change)
