"""Supporting documents (justificatifs): the types the town asks for, the files families
upload, and the agents' requests (« réclamé »)."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portail.core import clock
from portail.families.models import Adult, Child, Household


class Concerns(models.TextChoices):
    """Whom a document type concerns (« concerne »): one document per household, adult or child."""

    HOUSEHOLD = "household", _("the household")
    ADULT = "adult", _("each adult")
    CHILD = "child", _("each child")


class State(models.TextChoices):
    """The state of a requirement, as the family sees it (FAQ §4)."""

    MISSING = "missing", _("not provided")
    REQUESTED = "requested", _("requested")
    PENDING = "pending", _("not processed")
    VALID = "valid", _("valid")
    INVALID = "invalid", _("invalid")
    EXPIRED = "expired", _("expired")


slug_list = RegexValidator(
    r"^\s*[a-z0-9-]+(\s*,\s*[a-z0-9-]+)*\s*$",
    _("Enter procedure slugs separated by commas (e.g. inscription-scolaire)."),
)


class DocumentType(models.Model):
    """A kind of document the town asks for, configured by the administrator."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    concerns = models.CharField(
        _("concerns"), max_length=10, choices=Concerns.choices, default=Concerns.HOUSEHOLD
    )
    description = models.CharField(
        _("help for families"), max_length=300, blank=True, help_text=_("Shown to parents.")
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: no end of validity. A proof of address: 3."),
    )
    each_school_year = models.BooleanField(
        _("to provide again at each school year"),
        default=False,
        help_text=_("Valid at most until the end of the school year (31 July)."),
    )
    procedures = models.CharField(
        _("procedures that need it"),
        max_length=300,
        blank=True,
        validators=[slug_list],
        help_text=_("Procedure slugs separated by commas, e.g. inscription-scolaire."),
    )
    active = models.BooleanField(_("asked of families"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self):
        return self.name

    @property
    def procedure_slugs(self) -> list[str]:
        return [s.strip() for s in self.procedures.split(",") if s.strip()]

    def default_valid_until(self, start: datetime.date) -> datetime.date | None:
        """The end of validity of a document of this type received on `start`."""
        ends = []
        if self.validity_months:
            ends.append(add_months(start, self.validity_months) - datetime.timedelta(days=1))
        if self.each_school_year:
            ends.append(datetime.date(clock.school_year_of(start) + 1, 7, 31))
        return min(ends) if ends else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def document_path(instance, filename) -> str:
    # A random name: the family's file name is kept only as `original_name`.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{clock.today():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class SupportingDocument(models.Model):
    """One file uploaded by a family for one document type and whom it concerns."""

    class Status(models.TextChoices):
        PENDING = "pending", _("not processed")
        VALID = "valid", _("valid")
        INVALID = "invalid", _("invalid")
        EXPIRED = "expired", _("expired")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="documents", verbose_name=_("household")
    )
    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("document type"),
    )
    adult = models.ForeignKey(
        Adult, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("adult")
    )
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("child")
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type of content"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.TextField(_("reason of refusal"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    expiry_warned_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("expiry warned at")
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        indexes = [models.Index(fields=["status", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(adult__isnull=False) & models.Q(child__isnull=False)),
                name="document_concerns_one_person",
            )
        ]

    def __str__(self):
        return f"{self.document_type} – {self.household}"

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/png", "image/jpeg")


class DocumentClaim(models.Model):
    """An agent asks a family for a document (« réclamé »); closed by the next upload."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", verbose_name=_("household")
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("document type")
    )
    adult = models.ForeignKey(
        Adult, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("adult")
    )
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("child")
    )
    message = models.TextField(_("message to the family"))
    requested_at = models.DateTimeField(_("requested at"), default=clock.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answer = models.ForeignKey(
        SupportingDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answer"),
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")

    def __str__(self):
        return f"{self.document_type} – {self.household}"
