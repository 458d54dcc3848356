"""The month grid's cells and the attendance sheet's rows, built in Python: a month has 25
cells, a sheet up to 500 rows, and the template engine's per-variable cost made them their
page's largest part."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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
        inner += format_html(' <span class="visually-hidden">\u00a0: {}</span>', d.closure)
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


# --- the attendance sheet: up to 500 rows, built in Python for the same reason --------------


def _sheet_labels():
    return {
        "present": _("present"),
        "absent": _("absent"),
        "reason": _("Excused absence reason"),
        "not_booked": _("not booked"),
        "agenda": _("agenda"),
        "pai": _("PAI"),
        "allergies": _("Allergies:"),
        "no_pork": _("no pork"),
        "gluten_free": _("gluten free"),
        "none": _("none"),
        "excused": _("excused absence"),
        "billed": _("billed"),
    }


def _reason_options(reasons, selected, cache):
    """The « Motif » options, built once per selected reason (the same list on every row)."""
    if selected not in cache:
        cache[selected] = format_html(
            '<option value="">—</option>{}',
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (r.pk, mark_safe(" selected") if r.pk == selected else "", r.name)
                    for r in reasons
                ),
            ),
        )
    return cache[selected]


def _attendance_cell(row, labels, reasons, cache):
    child, record = row.child, row.attendance
    if row.editable:
        key = str(child.pk)
        state = row.state
        return format_html(
            '<fieldset class="attendance-choice"><legend class="visually-hidden">{} {}</legend>'
            '<label class="choice"><input type="radio" name="state-{}" value="present"{}> {}'
            "</label>"
            '<label class="choice"><input type="radio" name="state-{}" value="absent"{}> {}'
            "</label>"
            '<span class="reason"><label for="reason-{}">{}</label>'
            '<select id="reason-{}" name="reason-{}">{}</select></span></fieldset>',
            child.first_name, child.last_name,
            key, mark_safe(" checked") if state == "present" else "", labels["present"],
            key, mark_safe(" checked") if state in ("absent", "excused") else "", labels["absent"],
            key, labels["reason"],
            key, key, _reason_options(reasons, row.reason_id, cache),
        )  # fmt: skip
    if record.state == "excused":
        reason = f": {record.absence_reason}" if record.absence_reason_id else ""
        return format_html('<span class="status">{}{}</span>', labels["excused"], reason)
    return format_html(
        '<span class="status">{} ({})</span>', record.get_state_display(), labels["billed"]
    )


def _health_cell(child, labels):
    parts = []
    if child.has_pai:
        parts.append(format_html('<span class="status flag">⚠ {}</span>', labels["pai"]))
    if child.allergies:
        parts.append(
            format_html(
                '<span class="status flag">⚠ {} {}</span>', labels["allergies"], child.allergies
            )
        )
    if child.no_pork:
        parts.append(format_html('<span class="status">{}</span>', labels["no_pork"]))
    if child.gluten_free:
        parts.append(format_html('<span class="status">{}</span>', labels["gluten_free"]))
    return mark_safe(" ".join(parts))


def _pickups_cell(row, labels):
    if not row.pickups:
        return format_html('<td><span class="muted">{}</span></td>', labels["none"])
    return format_html(
        "<td>{}</td>",
        mark_safe(
            "<br>".join(
                format_html("{} {} ({}, {})", p.first_name, p.last_name, p.relationship, p.phone)
                for p in row.pickups
            )
        ),
    )


@register.simple_tag
def sheet_rows(rows, reasons, evening, calendar_url, month):
    """The sheet's body: per child its name and level, health and diet, the authorised persons
    (evening), and the attendance choice or its locked state."""
    labels, cache, out = _sheet_labels(), {}, []
    for row in rows:
        child = row.child
        not_booked = (
            format_html('<br><span class="status">{}</span>', labels["not_booked"])
            if not row.booked
            else ""
        )
        out.append(
            format_html(
                '<tr><th scope="row">{} {} <span class="muted">{}</span>{}'
                '<br><a class="no-print" href="{}{}/?mois={}">{}</a></th>'
                "<td>{}</td>{}<td>{}</td></tr>",
                child.last_name,
                child.first_name,
                child.level,
                not_booked,
                calendar_url,
                str(child.pk),
                month,
                labels["agenda"],
                _health_cell(child, labels),
                _pickups_cell(row, labels) if evening else "",
                _attendance_cell(row, labels, reasons, cache),
            )  # fmt: skip
        )
    return mark_safe("\n".join(out))
