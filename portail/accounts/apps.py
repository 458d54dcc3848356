from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portail.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import email_changed, password_reset

        from portail.accounts import services

        def unlock_after_reset(sender, request, user, **kwargs):
            # A parent who chose a new password through the mailed link is no longer locked out.
            services.unlock(user)

        password_reset.connect(
            unlock_after_reset, weak=False, dispatch_uid="accounts.unlock_after_reset"
        )

        def tell_old_address(sender, request, user, from_email_address, to_email_address, **kw):
            # A confirmed change of address: the old one gets a link that cancels it.
            if from_email_address is None or from_email_address.email == to_email_address.email:
                return
            services.record_email_change(
                user, from_email_address.email, to_email_address.email, request
            )

        email_changed.connect(
            tell_old_address, weak=False, dispatch_uid="accounts.tell_old_address"
        )
