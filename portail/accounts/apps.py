from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portail.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import password_reset

        from portail.accounts import services

        def unlock_after_reset(sender, request, user, **kwargs):
            # A parent who chose a new password through the mailed link is no longer locked out.
            services.unlock(user)

        password_reset.connect(
            unlock_after_reset, weak=False, dispatch_uid="accounts.unlock_after_reset"
        )
