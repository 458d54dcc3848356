from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "portail.billing"
    verbose_name = _("Prepaid account")

    def ready(self):
        from portail.billing import checks  # noqa: F401  (registers the system check)
