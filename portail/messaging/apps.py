from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "portail.messaging"
    verbose_name = _("Messages")

    def ready(self):
        from django.core.cache import cache
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from portail.messaging.models import Message
        from portail.messaging.selectors import unread_key

        def forget_unread(sender, instance, **kwargs):
            # Now, and again at commit: a page read meanwhile may have cached the old count.
            key = unread_key(instance.recipient_id)
            cache.delete(key)
            transaction.on_commit(lambda: cache.delete(key))

        for signal in (post_save, post_delete):
            signal.connect(
                forget_unread, sender=Message, weak=False, dispatch_uid=f"messaging.unread.{signal}"
            )
