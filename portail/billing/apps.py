from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "portail.billing"
    verbose_name = _("Prepaid account")

    def ready(self):
        from portail.agenda.signals import bookings_withdrawn
        from portail.billing import checks  # noqa: F401  (registers the system check)

        def refund(sender, items, reason, actor, **kwargs):
            # Models are not ready when apps.py is imported: the service is imported here.
            from portail.billing.services import refund_withdrawn_bookings

            return refund_withdrawn_bookings(items, reason, actor)

        bookings_withdrawn.connect(refund, weak=False, dispatch_uid="billing.refund_withdrawn")
