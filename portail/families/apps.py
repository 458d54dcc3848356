from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "portail.families"
    verbose_name = _("Families")

    def ready(self):
        from portail.families import signals
        from portail.families.models import Adult, Child, Contact, Household

        for model in (Adult, Child, Contact):
            post_save.connect(signals.refresh_after_member_change, sender=model)
            post_delete.connect(signals.refresh_after_member_change, sender=model)
        post_save.connect(signals.refresh_after_household_save, sender=Household)
