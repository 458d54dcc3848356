"""Partner applications of the REST API (the town's other software) and the log of their calls."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portail.core import clock


class Scope(models.TextChoices):
    HEADCOUNTS_READ = "headcounts:read", _("Read headcounts")
    FAMILIES_READ = "families:read", _("Read families and children")
    FAMILIES_WRITE = "families:write", _("Update families and children")
    LEDGER_READ = "ledger:read", _("Read ledger entries and balances")
    BOOKINGS_READ = "bookings:read", _("Read bookings")


class PartnerApplication(models.Model):
    """One of the town's other systems (kitchen, accounting, statistics) and its bearer token.

    Only the token's SHA-256 is stored (`core.tokens`): the administrator sees the token once,
    when it is made. A new token replaces the old one, which stops working at once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contact = models.CharField(
        _("contact"), max_length=255, blank=True, help_text=_("Who to call about this software.")
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("token hash")
    )
    token_prefix = models.CharField(_("token starts with"), max_length=8, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: never expires.")
    )
    revoked_at = models.DateTimeField(
        pgettext_lazy("token", "revoked at"), null=True, blank=True, editable=False
    )
    rate_limit = models.PositiveIntegerField(
        _("calls per minute"), default=120, help_text=_("Beyond this, calls are refused (429).")
    )
    created_at = models.DateTimeField(
        pgettext_lazy("application", "created at"), default=clock.now, editable=False
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")

    def __str__(self):
        return self.name

    def is_usable(self, now=None) -> bool:
        now = now or clock.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


class ApiCall(models.Model):
    """One call of the API: who, which endpoint, the answer's status.

    A table of its own rather than `core.AuditEvent`: a partner polling every minute writes
    1,440 rows a day, which would drown the agents' actions; changes made through the API are
    also recorded in `AuditEvent` by the services that make them."""

    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    application = models.ForeignKey(
        PartnerApplication,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
        verbose_name=_("partner application"),
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("endpoint"), max_length=255)
    status = models.PositiveSmallIntegerField(_("status"))
    client_ip = models.CharField(_("client address"), max_length=45, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["application", "at"])]
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"
