from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranceConnectConfig(AppConfig):
    name = "portail.franceconnect"
    label = "franceconnect"
    verbose_name = _("FranceConnect")
