import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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
        if errors:
            raise ValidationError(errors, code="password_rule")

    def get_help_text(self):
        return _("At least 8 characters, with an uppercase letter, a lowercase letter and a digit.")
