from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portail.core import clock


class ContactMessage(models.Model):
    """A message sent through « Nous contacter »; agents read and answer it in the back-office."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), default=clock.now, db_index=True)
    # « traité »: who marked it and when (None while it waits for an agent).
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["handled_at", "created_at"])]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self):
        return self.subject


class ContactReply(models.Model):
    """An agent's answer to a contact message, sent by e-mail to the sender's address."""

    message = models.ForeignKey(
        ContactMessage, on_delete=models.CASCADE, related_name="replies", verbose_name=_("message")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author account"),
    )
    author_name = models.CharField(_("author"), max_length=150)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), default=clock.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("reply to a contact message")
        verbose_name_plural = _("replies to contact messages")

    def __str__(self):
        return self.subject
