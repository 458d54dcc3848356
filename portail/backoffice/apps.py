from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "portail.backoffice"
    verbose_name = _("Back-office")

    def ready(self):
        from portail.backoffice.alerts import tell_job_failure
        from portail.core.signals import job_started_failing

        job_started_failing.connect(tell_job_failure, dispatch_uid="backoffice.job_failure")
