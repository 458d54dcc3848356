from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portail.core import clock


class Message(models.Model):
    """An in-app message in a parent's « Messages » inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_messages",
        verbose_name=_("recipient"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=clock.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.subject


class OutboundEmail(models.Model):
    """An e-mail to send. Written in the transaction of the change it reports, sent by a task
    after commit, retried with back-off until it is sent or has failed too often."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        RETRY = "retry", _("to retry")
        FAILED = "failed", _("failed")

    MAX_ATTEMPTS = 8

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    html_body = models.TextField(blank=True, verbose_name=_("HTML body"))
    from_email = models.CharField(max_length=255, blank=True, verbose_name=_("sender"))
    # One change, one mail: the caller's key makes a second notification of the same event a no-op.
    dedupe_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, verbose_name=_("deduplication key")
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("next attempt at")
    )
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(
        default=clock.now, db_index=True, verbose_name=_("created at")
    )
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")

    def __str__(self):
        return f"{self.to}\u00a0: {self.subject}"
