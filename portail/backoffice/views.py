from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portail.backoffice import dashboard
from portail.backoffice.menu import menu_for
from portail.core import clock
from portail.core.permissions import staff_required
from portail.core.selectors import agent_inbox, job_statuses, jobs_needing_attention
from portail.core.services import set_daily_digest


@staff_required
def home(request):
    """Each role's dashboard: its menu, the work waiting (counters linking to the filtered
    lists), the cashier's own desk, and the charts."""
    user = request.user
    today = clock.today()
    charts = []
    if user.is_agent:
        charts.append(dashboard.attendance_chart(today))
    charts.append(dashboard.money_chart(today))
    return render(
        request,
        "backoffice/home.html",
        {
            "menu": menu_for(user),
            "counters": dashboard.agent_counters(user) if user.is_agent else None,
            "cashier_counters": dashboard.cashier_counters(user) if user.is_cashier else None,
            "charts": charts,
            "inbox": agent_inbox(user),
            "jobs_in_trouble": jobs_needing_attention(),
        },
    )


@staff_required
@require_POST
def digest(request):
    """The agent's choice of the daily digest mail of new work."""
    wanted = request.POST.get("daily_digest") == "1"
    set_daily_digest(request.user, wanted)
    if wanted:
        messages.success(request, _("You will receive the daily digest of new work by e-mail."))
    else:
        messages.success(request, _("You will no longer receive the daily digest."))
    return redirect("backoffice:home")


def _duration(delta) -> str:
    if delta is None:
        return ""
    seconds = delta.total_seconds()
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": number_format(seconds, 1)}
    minutes, seconds = divmod(round(seconds), 60)
    return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": seconds}


@staff_required
def jobs(request):
    """The periodic jobs (core.jobs): schedule, last run, outcome, duration, next run."""
    statuses = job_statuses()
    for status in statuses:
        status.duration = _duration(status.last_run.duration if status.last_run else None)
    return render(
        request,
        "backoffice/jobs.html",
        {"statuses": statuses, "problems": [s for s in statuses if s.problem]},
    )
