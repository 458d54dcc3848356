from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "portail.procedures"
    verbose_name = _("Online requests")
