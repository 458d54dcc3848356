from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

AGENTS_GROUP = "Agents"
CASHIERS_GROUP = "Régie"


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Identifiers are case-insensitive everywhere.
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person who signs in: a parent (account holder), an agent, a cashier or an administrator.

    Identifier and e-mail are stored lower-case and unique, so login, sign-up and recovery never
    depend on how a parent typed them.
    """

    email = models.EmailField(_("e-mail address"), blank=True)

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_ci_unique"
            ),
        ]

    def save(self, *args, **kwargs):
        self.username = (self.username or "").strip().lower()
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def _in_group(self, name: str) -> bool:
        cache = self.__dict__.setdefault("_group_names", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True)) if self.pk else set()
            self.__dict__["_group_names"] = cache
        return name in cache

    @property
    def is_agent(self) -> bool:
        """Agents of the school service (and administrators) reach the back-office."""
        return self.is_active and (self.is_superuser or self._in_group(AGENTS_GROUP))

    @property
    def is_cashier(self) -> bool:
        return self.is_active and (self.is_superuser or self._in_group(CASHIERS_GROUP))


class ClosureRequest(models.Model):
    """A parent's request to close the account (RGPD). An agent confirms it; money and legal
    records stay, as the law requires, the sign-in and personal contact data go."""

    user = models.ForeignKey(
        User,
        null=True,
        on_delete=models.SET_NULL,
        related_name="closure_requests",
        verbose_name=_("user"),
    )
    username = models.CharField(_("identifier"), max_length=150)
    household_name = models.CharField(_("household"), max_length=150, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("account closure request")
        verbose_name_plural = _("account closure requests")
        constraints = [
            # One open request per account.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(confirmed_at=None), name="one_open_closure"
            )
        ]

    def __str__(self):
        return self.username


class EmailChange(models.Model):
    """A confirmed change of the account's e-mail address, and the link mailed to the old address
    to cancel it (within `EMAIL_CHANGE_CANCEL_DAYS`). Only the token's SHA-256 is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="email_changes", verbose_name=_("user")
    )
    old_email = models.EmailField(_("previous e-mail address"))
    new_email = models.EmailField(_("new e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    changed_at = models.DateTimeField(_("changed at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Set when another change of the account was cancelled: this link can no longer be used.
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("e-mail address change")
        verbose_name_plural = _("e-mail address changes")

    def __str__(self):
        return f"{self.old_email} → {self.new_email}"
