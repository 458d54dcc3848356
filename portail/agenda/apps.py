from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "portail.agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from portail.accounts.signals import account_closed

        def revoke_feed(sender, user, household, **kwargs):
            # The closed account's holder knew the feed's address: it stops working.
            if household is not None:
                from portail.agenda.services import disable_feed  # models not ready at import

                disable_feed(household)

        account_closed.connect(revoke_feed, weak=False, dispatch_uid="agenda.revoke_feed")
