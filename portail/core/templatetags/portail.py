from django import template
from django.utils.safestring import mark_safe

from portail.core.dates import long_date as format_long_date
from portail.core.money import format_eur

register = template.Library()


@register.filter
def eur(value):
    """{{ amount|eur }} -> 12,50 €"""
    if value is None or value == "":
        return ""
    return format_eur(value)


@register.simple_tag(takes_context=True)
def current(context, url):
    """` aria-current="page"` on the menu link of the section being shown."""
    request = context.get("request")
    if not request or not url:
        return ""
    here = request.path == url if url == "/" else request.path.startswith(url)
    return mark_safe(' aria-current="page"') if here else ""  # noqa: S308 (constant)


@register.filter
def long_date(value):
    """{{ day|long_date }} -> 1er janvier 2027"""
    return format_long_date(value) if value else ""
