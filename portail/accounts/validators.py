import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PortalPasswordValidator:
    """The FAQ's rule: at least 8 characters with an uppercase letter, a lowercase letter and a
    digit. Long passphrases are welcome (no upper bound below 4096 characters)."""

    min_length = 8
    max_length = 4096

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(_("The password must contain at least 8 characters."))
        if len(password) > self.max_length:
            errors.append(_("The password is too long."))
        if not re.search(r"[A-ZÀ-ÖØ-Þ]", password):
            errors.append(_("The password must contain at least one uppercase letter."))
        if not re.search(r"[a-zß-öø-ÿ]", password):
            errors.append(_("The password must contain at least one lowercase letter."))
        if not re.search(r"\d", password):
            errors.append(_("The password must contain at least one digit."))
        if user is not None and self._close_to_identity(password, user):
            errors.append(
                _("The password is too close to your identifier, e-mail address or name.")
            )
        if errors:
            raise ValidationError(errors, code="password_rule")

    @staticmethod
    def _close_to_identity(password, user) -> bool:
        """True when the password is mostly the identifier, the e-mail's local part or a name
        (Django's similarity check misses « Camille.Durand1 » for camille.durand@...)."""

        def norm(text):
            return re.sub(r"[^a-z0-9]", "", (text or "").lower())

        email = getattr(user, "email", "") or ""
        parts = [
            getattr(user, "username", ""),
            email.split("@")[0],
            f"{getattr(user, 'first_name', '')}{getattr(user, 'last_name', '')}",
            f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}",
        ]
        value = norm(password)
        for part in map(norm, parts):
            if len(part) >= 4 and part in value and len(value.replace(part, "")) < 8:
                return True
        return False

    def get_help_text(self):
        return _("At least 8 characters, with an uppercase letter, a lowercase letter and a digit.")


# Identifiers: no « @ », so an identifier never looks like an e-mail address at login.
username_validators = [
    RegexValidator(
        r"^[a-zA-Z0-9._-]+\Z",
        gettext_lazy("Use only letters (without accents), digits and the characters . - _"),
        code="invalid_username",
    )
]
