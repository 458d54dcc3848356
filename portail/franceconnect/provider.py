"""FranceConnect as a django-allauth provider: allauth's OpenID Connect provider, with what
FranceConnect requires on top (nonce, `acr_values=eidas1`, fixed scopes, signed userinfo).

Registered by allauth because this app has a `provider.py` with `provider_classes`."""

import secrets

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
    _pick_data,
)
from django.urls import reverse
from django.utils.http import urlencode

from portail.franceconnect.views import FranceConnectOAuth2Adapter

# The identity the portal needs: names for the household, the e-mail to sign in and be
# written to, the birth date to tell namesakes apart at the town hall.
SCOPES = ["openid", "given_name", "family_name", "birthdate", "email"]
# « eidas1 » is FranceConnect's (only) level for public services like ours; a higher level
# answered by the provider is accepted too (`views.ACCEPTED_ACR`).
ACR_VALUES = "eidas1"


class FranceConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self):
        data = self.get_user_data() or {}
        name = " ".join(filter(None, [data.get("given_name"), data.get("family_name")]))
        return name or super().to_str()


class FranceConnectProvider(OpenIDConnectProvider):
    id = "franceconnect"
    name = "FranceConnect"
    account_class = FranceConnectAccount
    oauth2_adapter_class = FranceConnectOAuth2Adapter
    # Only the browser flow: no ID token handed to us by a third party.
    supports_token_authentication = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = "FranceConnect"

    def get_login_url(self, request, **kwargs):
        url = reverse("franceconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self):
        return reverse("franceconnect_callback")

    def get_oauth2_adapter(self, request):
        return self.oauth2_adapter_class(request)

    def get_default_scope(self):
        return list(SCOPES)

    # What is asked of FranceConnect is ours to choose: never widened from the query string.
    def get_scope_from_request(self, request):
        return self.get_scope()

    def get_auth_params_from_request(self, request, action):
        return self.get_auth_params()

    def get_auth_params(self):
        return {**super().get_auth_params(), "acr_values": ACR_VALUES}

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        # A fresh nonce per attempt, kept in allauth's state (in the session, next to `state`)
        # and compared with the ID token's by the adapter.
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None) or self.get_auth_params()
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def extract_common_fields(self, data):
        data = _pick_data(data)
        return {
            "email": data.get("email"),
            "first_name": data.get("given_name"),
            "last_name": data.get("family_name"),
        }

    def extract_email_addresses(self, data):
        # FranceConnect's identity providers only give addresses they have verified.
        email = _pick_data(data).get("email")
        return [EmailAddress(email=email.lower(), verified=True, primary=True)] if email else []


provider_classes = [FranceConnectProvider]
