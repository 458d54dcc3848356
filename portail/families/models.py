"""The family model every other app stands on: Household (foyer), Adult, Child, AuthorizedPickup,
and the schools the children attend."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portail.core import clock


class School(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self):
        return self.name


class Household(models.Model):
    """A family account (foyer): its address, contacts, adults and children."""

    name = models.CharField(_("household name"), max_length=150)
    address_line1 = models.CharField(_("address"), max_length=255, blank=True)
    address_line2 = models.CharField(_("address (continued)"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    family_quotient = models.PositiveIntegerField(
        _("family quotient"), null=True, blank=True, help_text=_("From the CAF, in euros.")
    )
    # Kept by billing in the transaction that moves the balance; read by the agenda's block.
    negative_balance_since = models.DateField(_("balance negative since"), null=True, blank=True)
    # Kept by billing likewise: the balance is above zero (FAQ §5: credited before booking).
    has_credit = models.BooleanField(
        _("prepaid account in credit"), default=False, db_default=False
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    # Every name, e-mail and phone of the household folded for the agents' search
    # (`families.search`), kept by `families.services.refresh_search_keys`.
    search_key = models.TextField(
        _("search key"), default="", db_default="", blank=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return self.name

    @property
    def postal_address(self) -> str:
        lines = [self.address_line1, self.address_line2, f"{self.postcode} {self.city}".strip()]
        return "\n".join(line for line in lines if line)


class Contact(models.Model):
    """A phone number or e-mail address of the household."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("household")
    )
    channel = models.CharField(_("kind"), max_length=10, choices=Channel.choices)
    value = models.CharField(_("value"), max_length=254)
    label = models.CharField(_("label"), max_length=60, blank=True)

    class Meta:
        ordering = ["channel", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.value


class Adult(models.Model):
    """A legal guardian. The account holder is the adult linked to a user."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Legal guardian")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="adults", verbose_name=_("household")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adult",
        verbose_name=_("user"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship.choices, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("adult")
        verbose_name_plural = _("adults")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Child(models.Model):
    class Level(models.TextChoices):
        PS = "PS", _("Petite section")
        MS = "MS", _("Moyenne section")
        GS = "GS", _("Grande section")
        CP = "CP", _("CP")
        CE1 = "CE1", _("CE1")
        CE2 = "CE2", _("CE2")
        CM1 = "CM1", _("CM1")
        CM2 = "CM2", _("CM2")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="children", verbose_name=_("household")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("school"),
    )
    level = models.CharField(_("class level"), max_length=3, choices=Level.choices, blank=True)
    # Dietary and medical notes within CNIL's limits: no religious diet is recorded.
    no_pork = models.BooleanField(_("no pork"), default=False)
    gluten_free = models.BooleanField(_("gluten free"), default=False)
    allergies = models.CharField(_("allergies"), max_length=255, blank=True)
    has_pai = models.BooleanField(
        _("individual care plan (PAI)"),
        default=False,
        help_text=_("Projet d'accueil individualisé"),
    )

    class Meta:
        ordering = ["birth_date", "first_name"]
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class AuthorizedPickup(models.Model):
    """A person allowed to collect a child from the after-school services."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="authorized_pickups", verbose_name=_("child")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    relationship = models.CharField(_("relationship to the child"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("authorised person")
        verbose_name_plural = _("authorised persons")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
