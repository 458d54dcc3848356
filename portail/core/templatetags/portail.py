from django import template

from portail.core.money import format_eur

register = template.Library()


@register.filter
def eur(value):
    """{{ amount|eur }} -> 12,50 €"""
    if value is None or value == "":
        return ""
    return format_eur(value)
