"""Activities (créneaux), closed days, bookings (réservations), attendance (pointage) and
absence reasons. The agenda issue builds the journeys on these."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portail.core import clock
from portail.core.money import MoneyField
from portail.families.models import Child, Household, School


class Activity(models.Model):
    """A bookable slot of one school: Accueil matin, Restauration scolaire, Accueil Soir 1/2."""

    class Kind(models.TextChoices):
        MORNING = "morning", _("Accueil matin")
        LUNCH = "lunch", _("Restauration scolaire")
        EVENING1 = "evening1", _("Accueil Soir 1")
        EVENING2 = "evening2", _("Accueil Soir 2")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="activities", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    # Monday=0 ... Friday=4, as digits: "0134" is Monday, Tuesday, Thursday, Friday.
    weekdays = models.CharField(_("opening weekdays"), max_length=7, default="0134")
    price = MoneyField(_("price"), default=Decimal("0.00"))
    unbooked_surcharge = MoneyField(
        _("surcharge for an unbooked presence"), default=Decimal("0.00")
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    counts_for_tax_certificate = models.BooleanField(
        _("counts for the tax certificate"),
        default=True,
        help_text=_("Childcare counts; meals do not."),
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["school", "position", "start_time"]
        unique_together = [("school", "kind")]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return f"{self.name} ({self.school})"

    def opens_on_weekday(self, weekday: int) -> bool:
        return str(weekday) in self.weekdays

    def price_for(self, household: Household) -> Decimal:
        """The price this household pays: its family-quotient bracket's, else the flat price."""
        qf = household.family_quotient
        if qf is not None:
            for bracket in self.price_brackets.all():
                if bracket.qf_min <= qf and (bracket.qf_max is None or qf <= bracket.qf_max):
                    return bracket.price
        return self.price


class PriceBracket(models.Model):
    """A price by family-quotient bracket (quotient familial), when the town configures them."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="price_brackets",
        verbose_name=_("activity"),
    )
    qf_min = models.PositiveIntegerField(_("family quotient from"))
    qf_max = models.PositiveIntegerField(_("family quotient up to"), null=True, blank=True)
    price = MoneyField(_("price"))

    class Meta:
        ordering = ["activity", "qf_min"]
        verbose_name = _("price bracket")
        verbose_name_plural = _("price brackets")

    def __str__(self):
        return f"{self.activity}\u00a0: QF {self.qf_min}-{self.qf_max or '∞'} {self.price}"


class ClosedDay(models.Model):
    """A closed day: public holiday, school holiday, or a closure entered by an agent.
    `school` empty means every school."""

    class Source(models.TextChoices):
        PUBLIC_HOLIDAY = "public", _("Public holiday")
        SCHOOL_HOLIDAY = "school", _("School holidays")
        AGENT = "agent", _("Closure entered by an agent")

    date = models.DateField(_("date"), db_index=True)
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closed_days",
        verbose_name=_("school"),
    )
    reason = models.CharField(_("reason"), max_length=150)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "school"], name="closure_unique_day_school"),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(school=None), name="closure_unique_day_all"
            ),
        ]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.reason}"


class AbsenceReason(models.Model):
    """A reason a parent can give for an absence; it says how much of the slot is charged."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    charge_ratio = models.DecimalField(
        _("share charged"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("0 = not charged, 1 = fully charged, 0.5 = half."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("absence reason")
        verbose_name_plural = _("absence reasons")

    def __str__(self):
        return self.name


class Booking(models.Model):
    """A child booked on an activity for a day. Cancelling keeps the row (status) for history."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("child")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.BOOKED, verbose_name=_("status")
    )
    created_at = models.DateTimeField(default=clock.now, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    # What cancelled it, when the service did: reopening the day restores exactly these, and a
    # school change proposes their equivalents at the new school.
    cancelled_by_closed_day = models.ForeignKey(
        "ClosedDay",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cancelled_bookings",
        verbose_name=_("cancelled by the closed day"),
    )
    cancelled_by_move = models.ForeignKey(
        "SchoolMove",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cancelled_bookings",
        verbose_name=_("cancelled by the school change"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "activity", "date"], name="booking_unique_child_activity_day"
            )
        ]
        indexes = [models.Index(fields=["activity", "date", "status"])]
        ordering = ["date", "activity__position"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self):
        return f"{self.child} {self.activity.name} {self.date:%d/%m/%Y}"


class Attendance(models.Model):
    """What an agent recorded (pointage), or an absence declared by the family (excused)."""

    class State(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused absence")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("child")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    absence_reason = models.ForeignKey(
        AbsenceReason,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("absence reason"),
    )
    recorded_at = models.DateTimeField(default=clock.now, verbose_name=_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    billed = models.BooleanField(
        default=False, help_text=_("Locked once billed."), verbose_name=_("billed")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "activity", "date"], name="attendance_unique_child_activity_day"
            )
        ]
        indexes = [models.Index(fields=["date"])]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self):
        return f"{self.child} {self.activity.name} {self.date:%d/%m/%Y}\u00a0: {self.state}"


class SchoolMove(models.Model):
    """A child's change of school (« changement d'école ») effective on a day: the bookings at
    the old school from that day on were cancelled without charge (`cancelled_bookings`), those
    already billed refunded (`refunds`), and their equivalents at the new school proposed."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="school_moves", verbose_name=_("child")
    )
    from_school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("former school")
    )
    to_school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("new school")
    )
    effective = models.DateField(_("effective date"))
    refunds = models.PositiveIntegerField(_("billed bookings refunded"), default=0)
    created_at = models.DateTimeField(default=clock.now, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("school change")
        verbose_name_plural = _("school changes")

    def __str__(self):
        return f"{self.child} {self.from_school} → {self.to_school} {self.effective:%d/%m/%Y}"


class CalendarFeed(models.Model):
    """A household's private iCalendar address. Regenerating the token revokes the old one;
    switching the feed off deletes the row. Only the token's SHA-256 is stored (`core.tokens`):
    the address is shown to the parent once, when it is made."""

    household = models.OneToOneField(
        Household,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("household"),
    )
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    created_at = models.DateTimeField(default=clock.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.household}"
