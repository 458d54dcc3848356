from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class TownSettings(models.Model):
    """The town's identity and contact details, edited by the administrator in the admin.

    One row (pk=1), read through `TownSettings.current()`.
    """

    class Zone(models.TextChoices):
        A = "Zone A", _("Zone A")
        B = "Zone B", _("Zone B")
        C = "Zone C", _("Zone C")

    town_name = models.CharField(_("town name"), max_length=100, default="Viry")
    portal_name = models.CharField(_("portal name"), max_length=100, default="Portail famille")
    logo = models.FileField(
        _("logo"),
        upload_to="town/",
        blank=True,
        # No SVG: it can carry scripts.
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
        help_text=_("PNG, JPEG or WebP, shown at the top of every page."),
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1b5e7a", validators=[colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#2e7d32", validators=[colour]
    )
    service_name = models.CharField(
        _("service name"), max_length=150, default="Service scolaire et périscolaire"
    )
    phone = models.CharField(_("phone"), max_length=30, default="04 50 00 00 00")
    email = models.EmailField(_("e-mail"), default="periscolaire@mairie-viry.fr")
    address = models.TextField(
        _("postal address"), default="Mairie\n1 place de la Mairie\n74580 Viry"
    )
    opening_hours = models.TextField(
        _("opening hours"),
        default=(
            "Lundi, mardi, jeudi\u00a0: 8 h 30 – 12 h et 13 h 30 – 17 h\n"
            "Mercredi\u00a0: 8 h 30 – 12 h"
        ),
    )
    school_zone = models.CharField(
        _("school holidays zone"), max_length=6, choices=Zone.choices, default=Zone.A
    )
    # Legal identity and money rules (receipts, tax certificates, cash desk, consumption run).
    legal_name = models.CharField(
        _("legal name"),
        max_length=150,
        default="Commune de Viry",
        help_text=_("As printed on receipts and tax certificates."),
    )
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("A SIRET number has 14 digits."))],
    )
    regie_name = models.CharField(
        _("cash office (régie) name"),
        max_length=150,
        default="Régie de recettes périscolaire",
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=100, blank=True)
    signatory_role = models.CharField(
        _("signatory's role"), max_length=100, default="Le régisseur de recettes"
    )
    cash_limit = models.DecimalField(
        _("cash payment limit"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("300.00"),
        help_text=_("Legal limit of a cash payment of a public receivable (CGI art. 1680)."),
    )
    cash_confirmation_threshold = models.DecimalField(
        _("cash amount needing confirmation"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("150.00"),
    )
    consumption_closing_time = models.TimeField(
        _("consumption billable from"),
        null=True,
        blank=True,
        help_text=_("Empty: a day is billed from the next day. Set: the same day from this time."),
    )
    credit_required_to_book = models.BooleanField(
        _("credit required before booking"),
        default=True,
        help_text=_(
            "A family whose balance is zero or less cannot book (FAQ: account credited first)."
        ),
    )
    franceconnect_enabled = models.BooleanField(
        _("FranceConnect enabled"),
        default=False,
        help_text=_(
            "Shows « S'identifier avec FranceConnect » on the login and sign-up pages. The portal "
            "must first be registered with FranceConnect (FRANCECONNECT_* settings)."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("town settings")
        verbose_name_plural = _("town settings")

    def __str__(self):
        return self.town_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    CACHE_KEY = "core:town-settings"

    @classmethod
    def current(cls) -> "TownSettings":
        town = cache.get(cls.CACHE_KEY)
        if town is None:
            town, _created = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, town, 300)
        return town


class AuditEvent(models.Model):
    """Who did what to which object, and when. Written by `core.audit.record`."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(max_length=100, verbose_name=_("object type"))
    object_id = models.CharField(max_length=64, verbose_name=_("object id"))
    # The family the action concerns (`core.audit.household_of`), for the family record and the
    # journal's filter; a plain id: core stands below families.
    household_id = models.PositiveIntegerField(_("family"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["household_id", "-at"], name="audit_household_at"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class JobRun(models.Model):
    """One run of a periodic job (`core.jobs`), written by `core.services.run_job`.

    A scheduled run holds its slot (the instant it was due): the unique (job, slot) row is the
    claim that keeps two schedulers from running the same slot. A manual run has no slot.
    """

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")

    job = models.CharField(_("job"), max_length=64)
    slot = models.DateTimeField(_("due at"), null=True, blank=True)
    trigger = models.CharField(_("started by"), max_length=20)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    exit_code = models.SmallIntegerField(_("exit code"), null=True, blank=True)
    output = models.TextField(_("output (end)"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="core_jobrun_one_run_per_slot")
        ]
        indexes = [models.Index(fields=["job", "-started_at"], name="core_jobrun_job_started")]

    def __str__(self):
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None


class AgentInbox(models.Model):
    """A back-office user's notices of new work: when they last looked at each queue (the
    dashboard's « nouveau » badges count what arrived since) and whether they want the daily
    digest mail (`manage.py send_agent_digest`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="agent_inbox",
        verbose_name=_("user"),
    )
    requests_seen_at = models.DateTimeField(_("requests last seen at"), null=True, blank=True)
    documents_seen_at = models.DateTimeField(_("documents last seen at"), null=True, blank=True)
    daily_digest = models.BooleanField(_("daily digest by e-mail"), default=False)

    class Meta:
        verbose_name = _("agent's notices")
        verbose_name_plural = _("agents' notices")

    def __str__(self):
        return str(self.user)
