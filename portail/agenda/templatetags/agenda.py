"""The month grid's cells, built in Python: a month has 25 of them and the template engine's
per-variable cost made them the agenda page's largest part."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def month_cell(d):
    """One weekday of the month view (selectors.Day): state by text and icon, not colour only."""
    if not d.in_month:
        return format_html('<td class="{}"></td>', d.css)
    inner = format_html(
        '<span class="day-num"><span class="visually-hidden">{} </span>{}'
        '<span class="visually-hidden"> {}</span></span> '
        '<span class="day-state">{}</span>',
        d.weekday_name,
        d.date.day,
        d.month_name,
        d.state_label,
    )
    if d.closure:
        inner += format_html(' <span class="visually-hidden">: {}</span>', d.closure)
    if d.booked:
        inner += format_html(
            ' <span class="day-bookings"><span aria-hidden="true">{} {}</span>'
            '<span class="visually-hidden">{} {}</span></span>',
            "✓" if d.state == "open" else "■",
            len(d.booked),
            d.booked_label,
            d.booked_names,
        )
    if d.url:
        return format_html(
            '<td class="{}"><a href="{}" class="day-link">{}</a></td>', d.css, d.url, inner
        )
    return format_html('<td class="{}"><span class="day-link">{}</span></td>', d.css, inner)


@register.simple_tag
def month_row(week):
    """A week, Monday to Friday."""
    return format_html_join(
        "", "{}", ((month_cell(d),) for d in week if not d.is_weekend)
    ) or mark_safe("")
