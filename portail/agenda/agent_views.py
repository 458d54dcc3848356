"""The agents' side of the agenda: attendance sheets (pointage), closed days, a child's agenda
(agents may book or cancel past the deadline)."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portail.agenda import forms, selectors, services
from portail.agenda.models import Activity, Attendance, ClosedDay, SchoolMove
from portail.agenda.views import calendar_context, day_view, parse_month
from portail.core import clock, spreadsheet
from portail.core.confirm import confirmation_page
from portail.core.converters import parse_id
from portail.core.lists import Listing
from portail.core.permissions import agent_required
from portail.families.models import Child


@agent_required
def home(request):
    form = forms.SheetChoiceForm(
        request.GET if "school" in request.GET else None,
        initial={"date": clock.today(), "kind": Activity.Kind.LUNCH},
    )
    if form.is_valid():
        activity = Activity.objects.filter(
            school=form.cleaned_data["school"], kind=form.cleaned_data["kind"]
        ).first()
        if activity is None:
            form.add_error("kind", _("This school has no such activity."))
        else:
            return redirect(
                "agenda_agent:sheet", activity.pk, form.cleaned_data["date"].isoformat()
            )
    return render(
        request,
        "agenda/agent_home.html",
        {
            "form": form,
            "closed_day_form": forms.ClosedDayForm(prefix="closure"),
            "closed_listing": _closed_days(request),
            "query": request.GET.get("q", ""),
            "listing": _find_children(request, request.GET.get("q", "").strip()),
        },
    )


def _headcount_period(request):
    """The days asked for (default: the next 5 school days), or the bound form with its errors."""
    if "start" in request.GET or "end" in request.GET:
        form = forms.HeadcountPeriodForm(request.GET)
        if form.is_valid():
            return form.cleaned_data["start"], form.cleaned_data["end"], form
        return None, None, form
    days = selectors.next_school_days(clock.today())
    form = forms.HeadcountPeriodForm(initial={"start": days[0], "end": days[-1]})
    return days[0], days[-1], form


@agent_required
def headcounts(request):
    """« Effectifs »: children booked per day × school × activity, for the kitchen."""
    start, end, form = _headcount_period(request)
    if start is None:
        return render(request, "agenda/headcounts.html", {"form": form}, status=400)
    return render(
        request,
        "agenda/headcounts.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "days": selectors.headcount_days(start, end),
            "csv_query": f"start={start.isoformat()}&end={end.isoformat()}",
        },
    )


def _headcount_table(start, end):
    """The headcounts' columns and rows, shared by the CSV and the ODS exports."""
    headers = [
        _("Date"), _("School"), _("Activity"), _("Children booked"), _("Capacity"),
        _("Places open"), _("Final count"),
    ]  # fmt: skip
    rows = [
        [
            day.date.strftime("%d/%m/%Y"),
            row["activity__school__name"],
            row["activity__name"],
            row["booked"],
            row["activity__capacity"],
            row["open"],
            _("yes") if day.final else _("no"),
        ]
        for day in selectors.headcount_days(start, end)
        for row in day.rows
    ]
    return headers, rows


@agent_required
def headcounts_csv(request):
    start, end, form = _headcount_period(request)
    if start is None:
        return render(request, "agenda/headcounts.html", {"form": form}, status=400)
    response, writer = spreadsheet.csv_response(
        f"effectifs-{start.isoformat()}-au-{end.isoformat()}.csv"
    )
    headers, rows = _headcount_table(start, end)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([v if isinstance(v, int) else spreadsheet.cell(v) for v in row])
    return response


@agent_required
def headcounts_ods(request):
    """The same table as the CSV, as an OpenDocument spreadsheet (LibreOffice, Excel)."""
    start, end, form = _headcount_period(request)
    if start is None:
        return render(request, "agenda/headcounts.html", {"form": form}, status=400)
    headers, rows = _headcount_table(start, end)
    return spreadsheet.ods_response(
        f"effectifs-{start.isoformat()}-au-{end.isoformat()}.ods", headers, rows
    )


def _closed_days(request):
    """The coming closed days, a page at a time with their total (a year of holidays is long)."""
    return Listing(request, selectors.upcoming_closed_days().order_by("date", "pk"), prefix="c-")


def _find_children(request, query):
    """Children by first or last name, a page of 50 with the total (never cut silently)."""
    if len(query) < 2:
        return None
    children = (
        Child.objects.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query))
        .select_related("school")
        .order_by("last_name", "first_name", "pk")
    )
    return Listing(request, children)


@agent_required
@require_POST
def closure_add(request):
    form = forms.ClosedDayForm(request.POST, prefix="closure")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_closed_day(data["date"], data["school"], data["reason"], request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field, message)
        else:
            messages.success(
                request, _("%(date)s is now closed.") % {"date": data["date"].strftime("%d/%m/%Y")}
            )
            return redirect("agenda_agent:home")
    return render(
        request,
        "agenda/agent_home.html",
        {
            "form": forms.SheetChoiceForm(initial={"date": clock.today()}),
            "closed_day_form": form,
            "closed_listing": _closed_days(request),
        },
        status=400,
    )


@agent_required
@require_POST
def closure_remove(request, pk):
    closure = get_object_or_404(ClosedDay, pk=pk)
    ask = confirmation_page(
        request,
        _("Reopen %(date)s?") % {"date": closure.date.strftime("%d/%m/%Y")},
        _("Yes, reopen this day"),
        reverse("agenda_agent:home"),
        [
            *([closure.reason] if closure.reason else []),
            _(
                "The bookings this closure cancelled (%(count)s) are booked again and the "
                "families told; nothing is charged now."
            )
            % {"count": selectors.restorable_bookings(closure).count()},
        ],
    )
    if ask:
        return ask
    restored = services.remove_closed_day(closure, request.user)
    messages.success(
        request,
        _("%(date)s is open again; %(count)s booking(s) restored and their families told.")
        % {"date": closure.date.strftime("%d/%m/%Y"), "count": restored},
    )
    return redirect("agenda_agent:home")


def _sheet_objects(activity_pk, date):
    activity = get_object_or_404(Activity.objects.select_related("school"), pk=activity_pk)
    return activity, date  # a date within 1900-2100 (core.converters.DateConverter)


def _posted_sheet(request, rows, reasons):
    """The states and excuse reasons posted for the rows shown; with « Tous présents », every
    editable row the agent did not mark absent or excused is present."""
    shown = {row.child.pk for row in rows if row.editable}
    states, chosen = {}, {}
    for child_id in shown:
        state = request.POST.get(f"state-{child_id}")
        if state in (Attendance.State.PRESENT, Attendance.State.ABSENT):
            states[child_id] = state
        reason = reasons.get(parse_id(request.POST.get(f"reason-{child_id}")))
        if reason is not None:
            chosen[child_id] = reason
        elif "all_present" in request.POST and states.get(child_id) != Attendance.State.ABSENT:
            states[child_id] = Attendance.State.PRESENT
    return states, chosen


@agent_required
def sheet(request, activity_pk, date):
    """The pointage: filter by class level, « Tous présents » then the exceptions, an excused
    absence's reason, the live count present / booked (a script updates it as the agent ticks;
    the server's count is shown without it)."""
    activity, day = _sheet_objects(activity_pk, date)
    all_rows = selectors.attendance_sheet(activity, day)
    levels = sorted({row.child.level for row in all_rows if row.child.level}, key=_level_order)
    level = request.GET.get("niveau") or request.POST.get("niveau") or ""
    if level not in levels:
        level = ""
    rows = [row for row in all_rows if row.child.level == level] if level else all_rows
    reasons = {r.pk: r for r in selectors.sheet_reasons()}
    if request.method == "POST":
        states, chosen = _posted_sheet(request, rows, reasons)
        written = services.record_attendance(activity, day, states, request.user, chosen)
        messages.success(request, _("Attendance saved (%(n)s change(s)).") % {"n": written})
        return redirect(f"{request.path}?niveau={level}" if level else request.path)
    listed = {row.child.pk for row in all_rows}
    others = Child.objects.filter(school=activity.school).exclude(pk__in=listed)
    return render(
        request,
        "agenda/agent_sheet.html",
        {
            "activity": activity,
            "day": day,
            "rows": rows,
            "levels": [(code, dict(Child.Level.choices).get(code, code)) for code in levels],
            "level": level,
            "count": selectors.sheet_count(rows),
            "locked_present": sum(
                1 for r in rows if not r.editable and r.state == Attendance.State.PRESENT
            ),
            "total": selectors.sheet_count(all_rows) if level else None,
            "reasons": list(reasons.values()),
            # Built once, not per row: the sheet may list 500 children.
            "calendar_url": reverse("agenda_agent:child_calendar", args=[0]).removesuffix("0/"),
            "month": day.strftime("%Y-%m"),
            "add_form": forms.AddChildForm(children=others.order_by("last_name", "first_name")),
            "evening": activity.kind in (Activity.Kind.EVENING1, Activity.Kind.EVENING2),
            "State": Attendance.State,
        },
    )


def _level_order(code):
    order = list(Child.Level.values)
    return order.index(code) if code in order else len(order)


@agent_required
@require_POST
def sheet_add(request, activity_pk, date):
    activity, day = _sheet_objects(activity_pk, date)
    others = Child.objects.filter(school=activity.school)
    form = forms.AddChildForm(request.POST, children=others)
    if form.is_valid():
        try:
            services.add_unbooked_presence(activity, day, form.cleaned_data["child"], request.user)
            messages.success(request, _("Presence without booking recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a child of this school."))
    return redirect("agenda_agent:sheet", activity.pk, day.isoformat())


@agent_required
def sheet_csv(request, activity_pk, date):
    activity, day = _sheet_objects(activity_pk, date)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"pointage-{slugify(activity.get_kind_display())}-{day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Last name"), _("First name"), _("Level"), _("Booked"), _("State"), _("Reason"),
         _("Allergies"), _("PAI"), _("Authorised persons")]
    )  # fmt: skip
    for row in selectors.attendance_sheet(activity, day):
        child, record = row.child, row.attendance
        writer.writerow(
            [
                _safe(child.last_name),
                _safe(child.first_name),
                child.level,
                _("yes") if row.booked else _("no"),
                record.get_state_display() if record else "",
                _safe(str(record.absence_reason)) if record and record.absence_reason else "",
                _safe(child.allergies),
                _("yes") if child.has_pai else "",
                _safe(", ".join(f"{p} ({p.phone})" for p in row.pickups)),
            ]
        )
    return response


def _safe(value: str) -> str:
    """No formula injection in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@agent_required
def child_calendar(request, child_pk):
    child = get_object_or_404(Child.objects.select_related("school"), pk=child_pk)
    year, month = parse_month(request.GET.get("mois"))
    context = calendar_context(
        child,
        year,
        month,
        True,
        "agenda_agent:child_day",
        reverse("agenda_agent:child_calendar", args=[child.pk]),
    )
    return render(request, "agenda/calendar.html", context)


@agent_required
def child_day(request, child_pk, date):
    child = get_object_or_404(Child.objects.select_related("school", "household"), pk=child_pk)
    day = date
    back = f"{reverse('agenda_agent:child_calendar', args=[child.pk])}?mois={day:%Y-%m}"
    return day_view(request, child, day, True, back, None)


# --- a child's change of school ------------------------------------------------------------


@agent_required
def move_child(request, child_pk):
    """« Changement d'école »: the new school and the day; the bookings at the old school from
    that day are cancelled (not charged) and the agent goes on to the equivalent bookings."""
    child = get_object_or_404(Child.objects.select_related("school", "household"), pk=child_pk)
    form = forms.MoveChildForm(
        request.POST if request.method == "POST" else None,
        child=child,
        initial={"effective": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move = services.change_school(
                child, data["school"], data["effective"], request.user, level=data["level"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("%(name)s now goes to %(school)s from %(date)s.")
                % {"name": child.first_name, "school": move.to_school.name,
                   "date": move.effective.strftime("%d/%m/%Y")},
            )  # fmt: skip
            return redirect("agenda_agent:move_proposals", move.pk)
    return render(
        request,
        "agenda/move_child.html",
        {
            "child": child,
            "form": form,
            "upcoming": selectors.upcoming_bookings_count(child),
        },
        status=400 if form.errors else 200,
    )


@agent_required
def move_proposals(request, move_pk):
    """After a school change: the equivalent activities at the new school, booked in one go or
    left to the parents."""
    move = get_object_or_404(
        SchoolMove.objects.select_related("child", "from_school", "to_school"), pk=move_pk
    )
    proposals = services.move_proposals(move)
    form = forms.ProposalsForm(
        request.POST if request.method == "POST" else None, proposals=proposals
    )
    if request.method == "POST" and form.is_valid():
        outcome = services.book_equivalents(move, form.cleaned_data["chosen"], request.user)
        messages.success(
            request,
            _("%(booked)s booking(s) made at %(school)s; %(skipped)s not possible.")
            % {"booked": len(outcome.booked), "school": move.to_school.name,
               "skipped": len(outcome.skipped)},
        )  # fmt: skip
        return redirect("agenda_agent:child_calendar", move.child_id)
    return render(
        request,
        "agenda/move_proposals.html",
        {
            "move": move,
            "proposals": proposals,
            "bookable": [p for p in proposals if not p.reason],
            "checked": set(request.POST.getlist("chosen"))
            if form.is_bound
            else {p.key for p in proposals},
            "cancelled": move.cancelled_bookings.count(),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
