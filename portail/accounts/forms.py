from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """Login by identifier or e-mail, in any case."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Identifier or e-mail")
        self.fields["login"].widget.attrs.update({"autocomplete": "username", "placeholder": ""})
        self.fields["password"].widget.attrs.update({"placeholder": ""})
