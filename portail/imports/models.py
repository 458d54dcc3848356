"""Import from the town's previous software: the column mapping saved per software, each file
run (dry run, then the real one), the previous software's ids of what was imported, and the
invitations sent to the imported adults."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portail.core import clock
from portail.families.models import Adult

INVITATION_DAYS = 14


class SourceMapping(models.Model):
    """The columns of one previous software, mapped once: {kind: {our field: its column}}."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    date_format = models.CharField(
        _("date format"),
        max_length=20,
        default="%d/%m/%Y",
        help_text=_("As in Python, e.g. %d/%m/%Y for 31/12/2026."),
    )
    mapping = models.JSONField(_("column mapping"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One file: checked by a dry run, then written (all or nothing) once confirmed."""

    class Kind(models.TextChoices):
        HOUSEHOLDS = "households", _("Households, adults, family quotients and balances")
        CHILDREN = "children", _("Children")
        BOOKINGS = "bookings", _("Future bookings")

    class Status(models.TextChoices):
        CHECKING = "checking", _("dry run in progress")
        CHECKED = "checked", _("checked, waiting for confirmation")
        REFUSED = "refused", _("refused (errors)")
        RUNNING = "running", _("import in progress")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    mapping = models.ForeignKey(
        SourceMapping, on_delete=models.PROTECT, related_name="runs", verbose_name=_("software")
    )
    kind = models.CharField(_("content"), max_length=12, choices=Kind.choices)
    # Deleted once the run is over (personal data); kept while waiting for confirmation.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    detected = models.CharField(_("detected format"), max_length=100, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.CHECKING, verbose_name=_("status")
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("total"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("done"))
    counts = models.JSONField(default=dict, blank=True, verbose_name=_("counts"))
    # One result per line: {"line", "action", "key", "details", "errors"}.
    lines = models.JSONField(default=list, blank=True, verbose_name=_("lines"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=clock.now, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class ExternalRef(models.Model):
    """Which object the previous software's id became: re-importing finds it, never doubles it."""

    class Target(models.TextChoices):
        HOUSEHOLD = "household", _("household")
        ADULT = "adult", _("adult")
        CHILD = "child", _("child")
        BALANCE = "balance", _("opening balance")
        BOOKING = "booking", _("booking")

    mapping = models.ForeignKey(
        SourceMapping, on_delete=models.PROTECT, related_name="+", verbose_name=_("mapping")
    )
    target = models.CharField(max_length=10, choices=Target.choices, verbose_name=_("kind"))
    external_id = models.CharField(
        max_length=100, verbose_name=_("identifier in the previous software")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    run = models.ForeignKey(
        ImportRun, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("import")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mapping", "target", "external_id"], name="externalref_unique_id"
            )
        ]
        indexes = [models.Index(fields=["target", "object_id"])]
        verbose_name = _("reference in the previous software")
        verbose_name_plural = _("references in the previous software")

    def __str__(self):
        return f"{self.mapping} {self.target} {self.external_id}"


def invitation_expiry() -> datetime.datetime:
    return clock.now() + datetime.timedelta(days=INVITATION_DAYS)


class Invitation(models.Model):
    """An imported adult's link to choose an identifier and a password. Only the token's hash
    is stored; resending makes a new token (the old link stops working)."""

    adult = models.OneToOneField(
        Adult, on_delete=models.CASCADE, related_name="invitation", verbose_name=_("adult")
    )
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    sent_at = models.DateTimeField(_("sent at"), default=clock.now)
    expires_at = models.DateTimeField(_("valid until"), default=invitation_expiry)
    times_sent = models.PositiveIntegerField(_("times sent"), default=1)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        ordering = ["adult__household__name", "adult__last_name", "adult__first_name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return str(self.adult)

    @property
    def expired(self) -> bool:
        return self.accepted_at is None and clock.now() >= self.expires_at
