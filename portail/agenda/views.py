"""The parents' agenda: month view, day view, « saisie groupée », calendar feed. Thin: parsing,
scoping through the household, a selector or a service, a template."""

import datetime
from collections import defaultdict
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portail.agenda import deadline, forms, selectors, services
from portail.agenda.days import in_school_year, school_year_bounds
from portail.core import clock
from portail.core.confirm import confirmation_page
from portail.core.money import ZERO, to_money
from portail.families.scoping import get_for_household, household_required
from portail.families.services import booking_block_reason

MONTHS_AROUND = 13


def parse_month(value: str | None) -> tuple[int, int]:
    today = clock.today()
    if value:
        try:
            year, month = (int(p) for p in value.split("-"))
            if 1 <= month <= 12 and abs(year - today.year) <= 2:
                return year, month
        except ValueError:
            pass
    return today.year, today.month


def shift_month(year: int, month: int, delta: int) -> str:
    index = year * 12 + month - 1 + delta
    return f"{index // 12}-{index % 12 + 1:02d}"


def calendar_context(child, year, month, as_agent, day_url_name, calendar_url):
    """What the month template needs; shared by the parents' and the agents' agenda."""
    weeks = selectors.month_view(child, year, month, as_agent=as_agent)
    # One reverse for the month, not one per day.
    pattern = reverse(day_url_name, args=[child.pk, "0000-00-00"])
    for week in weeks:
        for day in week:
            if day.in_month and day.state != "closed":
                day.url = pattern.replace("0000-00-00", day.date.isoformat())
    return {
        "child": child,
        "weeks": weeks,
        "month": datetime.date(year, month, 1),
        "previous_month": shift_month(year, month, -1),
        "next_month": shift_month(year, month, 1),
        "day_url_name": day_url_name,
        "calendar_url": calendar_url,
        "as_agent": as_agent,
        "min_delay": deadline.settings.AGENDA_MIN_DELAY_DAYS,
    }


@household_required
def calendar(request):
    children = selectors.children_of(request.household)
    listed = list(children)
    if not listed:
        return render(request, "agenda/calendar.html", {"no_child": True})
    child = listed[0]
    if request.GET.get("child"):
        # Only the household's own children: another family's id is a 404.
        child = next((c for c in listed if str(c.pk) == request.GET["child"]), None)
        if child is None:
            raise Http404
    year, month = parse_month(request.GET.get("mois"))
    context = calendar_context(
        child, year, month, False, "agenda:day", reverse("agenda:calendar")
    )  # fmt: skip
    context["child_choices"] = listed
    context["block_reason"] = booking_block_reason(request.household)
    return render(request, "agenda/calendar.html", context)


def day_view(request, child, day, as_agent, back_url, block_reason):
    slots = selectors.day_slots(child, day, as_agent=as_agent)
    if request.method == "POST":
        # A blocked household may still cancel: the service refuses only new bookings.
        posted = set(request.POST.getlist("slots"))
        wanted = {s.activity.kind for s in slots if s.changeable and s.activity.kind in posted}
        wanted |= {s.activity.kind for s in slots if s.booked and not s.changeable}
        outcome = services.save_day(child, day, wanted, request.user, as_agent=as_agent)
        for change in outcome.booked:
            messages.success(request, _("%(activity)s booked.") % {"activity": change.kind_label})
        for change in outcome.cancelled:
            messages.success(
                request, _("%(activity)s cancelled.") % {"activity": change.kind_label}
            )
        for change in outcome.skipped:
            messages.error(
                request,
                _("%(activity)s not changed: %(reason)s.")
                % {"activity": change.kind_label, "reason": change.reason_label},
            )
        if not (outcome.booked or outcome.cancelled or outcome.skipped):
            messages.info(request, _("Nothing to change."))
        return redirect(request.path)
    return render(
        request,
        "agenda/day.html",
        {
            "child": child,
            "day": day,
            "slots": slots,
            "any_changeable": any(s.changeable and (s.booked or not block_reason) for s in slots),
            "deadline": timezone.localtime(deadline.change_deadline(day), clock.PARIS),
            "as_agent": as_agent,
            "back_url": back_url,
            "block_reason": block_reason,
        },
    )


@household_required
def day(request, child_pk, date):
    child = get_for_household(selectors.children_of(request.household), request.household, child_pk)
    day = date  # a date within 1900-2100 (core.converters.DateConverter)
    back = f"{reverse('agenda:calendar')}?child={child.pk}&mois={day:%Y-%m}"
    return day_view(request, child, day, False, back, booking_block_reason(request.household))


# --- « saisie groupée » ---------------------------------------------------------------------


def _check_children(request, data, children):
    """Another family's child (or any unknown id) in the chosen children is a 404."""
    own = {str(c.pk) for c in children}
    if any(pk not in own for pk in data.getlist("children")):
        raise Http404


@household_required
def bulk(request):
    children = selectors.children_of(request.household)
    form = forms.BulkChildrenForm(children=children, initial={"children": list(children)})
    return render(
        request,
        "agenda/bulk_children.html",
        {"form": form, "block_reason": booking_block_reason(request.household)},
    )


@household_required
def bulk_period(request):
    children = selectors.children_of(request.household)
    block_reason = booking_block_reason(request.household)
    _check_children(request, request.GET, children)
    step = forms.BulkChildrenForm(request.GET, children=children)
    if not step.is_valid():
        return render(
            request,
            "agenda/bulk_children.html",
            {"form": step, "block_reason": block_reason},
            status=200,
        )
    if "start" not in request.GET:
        today = clock.today()
        first = deadline.first_changeable_day(today)
        year_end = school_year_bounds(clock.school_year_of(first))[1]
        form = forms.BulkPeriodForm(
            initial={
                "children": step.cleaned_data["children"],
                "action": step.cleaned_data["action"],
                "start": first,
                "end": year_end,
                "weekdays": ["0", "1", "3", "4"],
            },
            children=children,
        )
        return render(request, "agenda/bulk_period.html", _bulk_context(form, step, block_reason))
    form = forms.BulkPeriodForm(request.GET, children=children)
    if not form.is_valid():
        return render(request, "agenda/bulk_period.html", _bulk_context(form, step, block_reason))
    save_form = forms.BulkSaveForm(request.GET, children=children)
    return render(
        request,
        "agenda/bulk_days.html",
        _bulk_context(
            save_form,
            step,
            block_reason,
            days=_day_choices(save_form, step.cleaned_data["children"]),
            period_start=form.cleaned_data["start"],
            period_end=form.cleaned_data["end"],
        ),
    )


def _bulk_context(form, step, block_reason, **extra):
    return {
        "form": form,
        "children": step.cleaned_data["children"],
        "action": step.cleaned_data["action"],
        "block_reason": block_reason,
        **extra,
    }


def _day_choices(save_form, children=()):
    """The period's days grouped by month: a day closed for every chosen child's school (a
    holiday, a « journée pédagogique ») or past the deadline is unticked and disabled, with
    the reason."""
    days = save_form.candidate_days()
    if not days:
        return []
    calendar = selectors.closures_calendar(days[0], days[-1])
    today = clock.today()
    chosen = set(save_form.data.getlist("days"))
    schools = {c.school_id for c in children} or {None}
    months = defaultdict(list)
    for day in days:
        reasons = [calendar.closure_reason(school, day) for school in schools]
        closure = reasons[0] if all(reasons) else None
        note = ""
        if closure:
            note = _("closed: %(reason)s") % {"reason": closure}
        elif not in_school_year(day):
            note = _("closed: summer holidays")
        elif not deadline.parent_can_change(day, today):
            note = _("past the booking deadline")
        iso = day.isoformat()
        checked = not note and ((iso in chosen) if "days" in save_form.data else True)
        months[datetime.date(day.year, day.month, 1)].append(
            {"date": day, "iso": iso, "note": note, "checked": checked, "disabled": bool(note)}
        )
    return sorted(months.items())


def _days_page(request, form, step, children, **context):
    """The saisie groupée's days step, shown again (an error, or « Modifier les jours »)."""
    block = booking_block_reason(request.household)
    days = _day_choices(form, children)
    return render(
        request, "agenda/bulk_days.html", _bulk_context(form, step, block, days=days, **context)
    )


@household_required
@require_POST
def bulk_save(request):
    children = selectors.children_of(request.household)
    _check_children(request, request.POST, children)
    form = forms.BulkSaveForm(request.POST, children=children)
    if not form.is_valid():
        step = forms.BulkChildrenForm(request.POST, children=children)
        if not step.is_valid():
            return redirect("agenda:bulk")
        return _days_page(
            request,
            form,
            step,
            step.cleaned_data["children"],
            day_errors=form.errors.get("days"),
            period_start=form.cleaned_data.get("start"),
            period_end=form.cleaned_data.get("end"),
        )
    data = form.cleaned_data
    action = "book" if data["action"] == "create" else "cancel"
    if request.POST.get("back"):  # « Modifier les jours » from the summary
        step = forms.BulkChildrenForm(request.POST, children=children)
        step.is_valid()
        period = {"period_start": data["start"], "period_end": data["end"]}
        return _days_page(request, form, step, data["children"], **period)
    args = (list(data["children"]), data["kinds"], data["days"], action, request.user)
    if request.POST.get("confirmed") != "1":
        preview = services.preview_bulk_change(*args)
        return render(request, "agenda/bulk_preview.html", preview_context(form, preview, data))
    outcome = services.bulk_change(*args)
    return render(request, "agenda/bulk_summary.html", summary_context(outcome, data))


def preview_context(form, outcome, data):
    """Before « Enregistrer »: the bookings per child and activity, their price for this family
    and the total (billing's tag adds the balance forecast on the page)."""
    changes = outcome.booked if data["action"] == "create" else outcome.cancelled
    groups = defaultdict(int)
    for change in changes:
        groups[(change.child, change.activity)] += 1
    rows, total = [], ZERO
    for (child, activity), count in sorted(
        groups.items(), key=lambda item: (item[0][0].first_name, item[0][1].position)
    ):
        price = activity.price_for(child.household)
        rows.append(
            {
                "child": child,
                "activity": activity,
                "count": count,
                "price": price,
                "amount": price * count,
            }
        )
        total += price * count
    return {
        "form": form,
        "action": data["action"],
        "rows": rows,
        "count": len(changes),
        "total": to_money(total),
        # Booking costs the total; cancelling gives it back to the forecast balance.
        "balance_change": -to_money(total) if data["action"] == "create" else to_money(total),
        "days": data["days"],
        "skipped_count": len(outcome.skipped),
        "block_reasons": sorted(set(outcome.block_reasons.values())),
    }


def summary_context(outcome, data):
    done = outcome.booked + outcome.cancelled
    per_child = defaultdict(lambda: {"done": defaultdict(int), "skipped": defaultdict(list)})
    for change in done:
        per_child[change.child]["done"][change.kind_label] += 1
    for change in outcome.skipped:
        per_child[change.child]["skipped"][change.reason_label].append(change)
    rows = [
        {
            "child": child,
            "done": sorted(info["done"].items()),
            "skipped": sorted((str(k), v) for k, v in info["skipped"].items()),
        }
        for child, info in per_child.items()
    ]
    return {
        "action": data["action"],
        "done_count": len(done),
        "skipped_count": len(outcome.skipped),
        "rows": rows,
        "block_reasons": sorted(set(outcome.block_reasons.values())),
    }


# --- calendar feed --------------------------------------------------------------------------


@household_required
def feed_settings(request):
    """Create, renew or switch off the private address. A new address is shown in the answer
    to the POST only: we keep its hash, so it cannot be shown again."""
    new_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("renew", "disable"):
            return HttpResponseBadRequest()
        if selectors.household_feed(request.household) is not None:
            # Switching off or replacing a working address asks first (no JavaScript needed).
            ask = confirmation_page(
                request,
                _("Your calendar application will no longer receive your bookings. Continue?")
                if action == "disable"
                else _("The previous address will stop working. Continue?"),
                _("Yes, switch it off") if action == "disable" else _("Yes, create a new address"),
                reverse("agenda:feed_settings"),
                hidden={"action": action},
            )
            if ask:
                return ask
        if action == "disable":
            services.disable_feed(request.household)
            messages.success(
                request, _("Your calendar address is switched off: it no longer works.")
            )
            return redirect("agenda:feed_settings")
        _feed, token = services.regenerate_feed(request.household)
        new_url = request.build_absolute_uri(reverse("agenda:feed", args=[token]))
    feed = selectors.household_feed(request.household)
    return render(request, "agenda/feed.html", {"feed": feed, "new_url": new_url})


def _uid_domain(request) -> str:
    """The site's host name: booking ids of two towns' portals never collide in a calendar."""
    return urlsplit(settings.SITE_URL).hostname or request.get_host().split(":")[0]


def feed(request, token):
    feed = selectors.feed_for_token(token)
    if feed is None:
        raise Http404
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Portail famille//agenda//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Bookings"))
    cal.add("x-wr-timezone", "Europe/Paris")
    since = clock.today() - datetime.timedelta(days=60)
    last = clock.today()
    stamp = clock.now()
    domain = _uid_domain(request)
    for booking in selectors.feed_bookings(feed.household, since):
        event = icalendar.Event()
        activity = booking.activity
        event.add("uid", f"booking-{booking.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{booking.child.first_name} – {activity.name}")
        event.add("location", activity.school.name)
        event.add(
            "dtstart", datetime.datetime.combine(booking.date, activity.start_time, clock.PARIS)
        )
        event.add("dtend", datetime.datetime.combine(booking.date, activity.end_time, clock.PARIS))
        cal.add_component(event)
        last = max(last, booking.date)
    # RFC 5545: a TZID used by an event is defined by a VTIMEZONE in the calendar.
    cal.add_missing_timezones(first_date=since, last_date=last + datetime.timedelta(days=366))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
