from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranceConnectConfig(AppConfig):
    name = "portail.franceconnect"
    label = "franceconnect"
    verbose_name = _("FranceConnect")

    def ready(self):
        from allauth.socialaccount.models import SocialAccount

        from portail.accounts.signals import account_closed

        def forget_identity(sender, user, **kwargs):
            # A closed account keeps its link (so FranceConnect still cannot reach it) but not
            # the identity FranceConnect sent (names, birth date, e-mail).
            SocialAccount.objects.filter(user=user).update(extra_data={})

        account_closed.connect(
            forget_identity, weak=False, dispatch_uid="franceconnect.forget_identity"
        )
