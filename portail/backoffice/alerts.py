"""Who is told when a periodic job starts failing (core.signals.job_started_failing)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from portail.accounts.models import CASHIERS_GROUP, User
from portail.core.clock import PARIS
from portail.messaging.services import notify

# Jobs about money: the régie is told too (a failed check_ledger must reach it).
MONEY_JOBS = {"bill_consumption", "poll_payments", "check_ledger"}


def recipients(job: str):
    who = Q(is_superuser=True)
    if job in MONEY_JOBS:
        who |= Q(groups__name=CASHIERS_GROUP)
    return User.objects.filter(who, is_active=True).distinct()


def tell_job_failure(sender, run, **kwargs):
    subject = _("Scheduled job failed: %(job)s") % {"job": run.job}
    body = _(
        "The scheduled job « %(job)s » failed on %(date)s (exit code %(code)s). It will be tried "
        "again at its next time; the back-office page « Scheduled jobs » shows the end of its "
        "output. You will not be told again until it has succeeded."
    ) % {
        "job": run.job,
        "date": run.started_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M"),
        "code": run.exit_code,
    }
    for user in recipients(run.job):
        notify(user, subject, body, link=reverse("backoffice:jobs"))
