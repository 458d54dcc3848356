from django import template

from portail.documents.uploads import human_size as _human_size

register = template.Library()


@register.filter
def human_size(value):
    """{{ 1480|human_size }} -> 1,4 Ko"""
    return _human_size(int(value or 0))
