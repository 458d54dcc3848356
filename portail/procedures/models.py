"""Online requests (démarches): a ServiceRequest of one kind of procedure, its status history
and the counter that numbers them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portail.core import clock
from portail.families.models import Household


class Status(models.TextChoices):
    # The FAQ's words; « annulée » is ours: a pending request the parent withdrew.
    DRAFT = "draft", pgettext_lazy("request status", "draft")
    PENDING = "pending", pgettext_lazy("request status", "pending")
    PROCESSING = "processing", pgettext_lazy("request status", "processing")
    CLOSED = "closed", pgettext_lazy("request status", "closed")
    REJECTED = "rejected", pgettext_lazy("request status", "rejected")
    CANCELLED = "cancelled", pgettext_lazy("request status", "cancelled")


class Role(models.TextChoices):
    PARENT = "parent", pgettext_lazy("request actor", "family")
    AGENT = "agent", pgettext_lazy("request actor", "agent")
    SYSTEM = "system", pgettext_lazy("request actor", "system")


class ServiceRequest(models.Model):
    """A request (demande) made through a procedure. `data` holds what was submitted;
    `draft_data` the working copy while the parent fills or modifies the form."""

    kind = models.SlugField(_("procedure"), max_length=50, db_index=True)
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_requests",
        verbose_name=_("household"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Requests filed without an account (renseignement) are answered at this address.
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    draft_data = models.JSONField(default=dict, blank=True, verbose_name=_("draft data"))
    step = models.PositiveSmallIntegerField(default=0, verbose_name=_("step"))
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    agent_message = models.TextField(_("message from the service"), blank=True)
    # Closed although its required documents were not all valid: the agent's written reason.
    documents_override_reason = models.TextField(
        _("reason for closing without valid documents"), blank=True
    )
    documents_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed without valid documents by"),
    )
    documents_override_at = models.DateTimeField(
        _("closed without valid documents at"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["household", "status"])]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @property
    def procedure(self):
        from portail.procedures.kinds import get_procedure  # the kinds' forms load models

        return get_procedure(self.kind)

    @property
    def shown_data(self) -> dict:
        """What the request says: its draft until it is filed, then what was filed."""
        return self.draft_data if self.status == Status.DRAFT else self.data

    @property
    def is_modifiable(self) -> bool:
        return self.status in (Status.DRAFT, Status.PENDING)

    @property
    def label(self) -> str:
        return self.reference or str(pgettext_lazy("request status", "draft"))


class StatusChange(models.Model):
    """One step in a request's life: who, when, from which status to which, and why."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="history", verbose_name=_("request")
    )
    from_status = models.CharField(
        max_length=12, choices=Status.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=12, choices=Status.choices, verbose_name=_("to status"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    role = models.CharField(max_length=10, choices=Role.choices, verbose_name=_("role"))
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(default=clock.now, verbose_name=_("at"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.request}\u00a0: {self.from_status} → {self.to_status}"


class ReferenceCounter(models.Model):
    """Numbers of the year's requests, taken under a row lock: D-2026-000001, 000002..."""

    year = models.PositiveIntegerField(primary_key=True, verbose_name=_("year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self):
        return f"{self.year}\u00a0: {self.last}"


class PendingConfirmation(models.Model):
    """A request filed without an account, waiting for its sender to prove the e-mail address
    by the link mailed to it. Until then it has no reference and no agent sees it."""

    kind = models.SlugField(_("procedure"), max_length=50)
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    contact_name = models.CharField(_("name"), max_length=150)
    contact_email = models.EmailField(_("e-mail"))
    data = models.JSONField(default=dict, verbose_name=_("data"))
    created_at = models.DateTimeField(_("created at"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("request awaiting confirmation")
        verbose_name_plural = _("requests awaiting confirmation")

    def __str__(self):
        return f"{self.kind} <{self.contact_email}>"
