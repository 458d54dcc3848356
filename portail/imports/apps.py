from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "portail.imports"
    verbose_name = _("Import from the previous software")

    def ready(self):
        from portail.imports import receivers  # noqa: F401  (sign-up with an imported e-mail)
