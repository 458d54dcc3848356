from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portail.backoffice.menu import menu_for
from portail.core.permissions import staff_required
from portail.core.selectors import job_statuses, jobs_needing_attention
from portail.pages.models import ContactMessage


@staff_required
def home(request):
    """Each role's dashboard: the menu of what it may do (agent, cashier, administrator)."""
    user = request.user
    return render(
        request,
        "backoffice/home.html",
        {
            "menu": menu_for(user),
            "contact_messages": (
                ContactMessage.objects.filter(handled_at=None)[:50] if user.is_agent else None
            ),
            "jobs_in_trouble": jobs_needing_attention(),
        },
    )


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
