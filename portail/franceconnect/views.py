"""FranceConnect's endpoints on our side: allauth's OpenID Connect views, stricter.

allauth's generic OIDC adapter sends no nonce and skips the ID token's signature when it got the
token itself; FranceConnect's rules (and ours) want both checked, plus the `acr`, and v2 answers
userinfo with a signed JWT. Everything else (state, code exchange, sign-up, linking) is allauth's.
"""

import logging
import secrets

import jwt
import requests
from allauth.account.internal.flows import reauthentication
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.forms import DisconnectForm
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

PROVIDER_ID = "franceconnect"
# The ID token of the FranceConnect session, for the end-session request at logout.
ID_TOKEN_SESSION_KEY = "franceconnect_id_token"
LOGOUT_STATE_SESSION_KEY = "franceconnect_logout_state"
# FranceConnect v2 signs with ES256 or RS256; never « none » nor a shared-secret HMAC.
SIGNING_ALGORITHMS = {"RS256", "ES256"}

# The eIDAS levels accepted in an ID token: the one asked (`provider.ACR_VALUES`) or higher.
ACCEPTED_ACR = {"eidas1", "eidas2", "eidas3"}


class FranceConnectOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    # Set by the callback view: allauth's state for this attempt (holds our nonce).
    state: dict | None = None

    def __init__(self, request):
        super().__init__(request, PROVIDER_ID)

    def get_callback_url(self, request, app):
        return build_absolute_uri(request, reverse("franceconnect_callback"))

    def _verify(self, app, token: str, require=("exp", "iat", "iss", "aud", "sub")) -> dict:
        """A JWT from the provider (ID token, v2 userinfo): signed by one of the keys it publishes
        (JWKS), with an algorithm FranceConnect uses, for us, from it, not expired."""
        config = self.openid_config
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in SIGNING_ALGORITHMS:
                raise OAuth2Error(f"unexpected signing algorithm {header.get('alg')!r}")
            with get_adapter().get_requests_session() as sess:
                response = sess.get(config["jwks_uri"])
                response.raise_for_status()
                keys = jwt.PyJWKSet.from_dict(response.json()).keys
            # A token names its key; one without `kid` is accepted only from a one-key JWKS.
            candidates = [k for k in keys if k.key_id == header.get("kid")] or (
                keys if len(keys) == 1 and "kid" not in header else []
            )
            if not candidates:
                raise OAuth2Error("token signed with an unknown key")
            claims = jwt.decode(
                token,
                key=candidates[0],
                algorithms=[header["alg"]],
                audience=app.client_id,
                issuer=config["issuer"],
                options={"require": list(require)},
            )
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise OAuth2Error(f"invalid token from FranceConnect: {exc!r}") from exc
        jwtkit.verify_jti(claims)  # a replayed token (same jti) is refused
        return claims

    def complete_login(self, request, app, token, **kwargs):
        raw_id_token = kwargs["response"].get("id_token")
        if not raw_id_token:
            raise OAuth2Error("FranceConnect gave no ID token")
        # Signature (provider's JWKS), issuer, audience, expiry: before anything is trusted.
        id_token = self._verify(app, raw_id_token)
        nonce = (self.state or {}).get("nonce") or ""
        if not nonce or not constant_time_compare(str(id_token.get("nonce", "")), nonce):
            raise OAuth2Error("ID token nonce does not match")
        if id_token.get("acr") not in ACCEPTED_ACR:
            raise OAuth2Error("ID token acr is not eidas1 or higher")
        userinfo = self._fetch_user_info_checked(app, token.token)
        if str(userinfo.get("sub")) != str(id_token.get("sub")):
            raise OAuth2Error("userinfo is about another person than the ID token")
        request.session[ID_TOKEN_SESSION_KEY] = raw_id_token
        return self.get_provider().sociallogin_from_response(
            request, {"userinfo": userinfo, "id_token": id_token}
        )

    def _fetch_user_info_checked(self, app, access_token: str) -> dict:
        with get_adapter().get_requests_session() as sess:
            response = sess.get(
                self.profile_url, headers={"Authorization": f"Bearer {access_token}"}
            )
            response.raise_for_status()
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type == "application/jwt":  # FranceConnect v2: signed like the ID token
            return self._verify(app, response.text.strip(), require=("iss", "aud", "sub"))
        return response.json()


class FranceConnectCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        # allauth checks `state` (one use, bound to this browser's session) and hands it over;
        # we keep it for the nonce check.
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


def login(request):
    if request.method == "POST" and request.POST.get("process") == "connect":
        # Linking: the password is confirmed before leaving for FranceConnect (allauth's
        # middleware shows « confirm your password » and then replays this request).
        reauthentication.raise_if_reauthentication_required(request, app="allauth.socialaccount")
    try:
        return OAuth2LoginView.adapter_view(FranceConnectOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None  # FranceConnect is off in this town


def callback(request):
    try:
        return FranceConnectCallbackView.adapter_view(FranceConnectOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


# --- logout: end the FranceConnect session too ----------------------------------------------


def end_session_url(request) -> str | None:
    """Where to send the browser at logout so that FranceConnect's session ends as well, or None
    when the session did not come through FranceConnect (or it cannot be reached)."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token:
        return None
    try:
        adapter = FranceConnectOAuth2Adapter(request)
        endpoint = adapter.openid_config.get("end_session_endpoint")
    except (SocialApp.DoesNotExist, requests.RequestException, ValueError):
        logger.warning("FranceConnect unreachable at logout: its session is left open")
        return None
    if not endpoint:
        return None
    state = secrets.token_urlsafe(32)
    # The session is flushed by the logout; the adapter stores this in the new one.
    request.franceconnect_logout_state = state
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("franceconnect_logout_callback")
            ),
        }
    )
    return f"{endpoint}?{query}"


def logout_callback(request):
    """FranceConnect sends the browser back here once its session is ended."""
    expected = request.session.pop(LOGOUT_STATE_SESSION_KEY, "")
    if not expected or not constant_time_compare(request.GET.get("state", ""), expected):
        # Our own session is ended anyway; only FranceConnect's answer is not the awaited one.
        messages.warning(request, _("Your FranceConnect session could not be confirmed as ended."))
    return redirect("pages:home")


# --- « Mon profil » › « options »: unlink -----------------------------------------------------


@login_required
@require_POST
def unlink(request):
    """« Délier FranceConnect »: allowed only if the account keeps a password (allauth's check)."""
    account = SocialAccount.objects.filter(user=request.user, provider=PROVIDER_ID).first()
    if account is None:
        return redirect("accounts:options")
    form = DisconnectForm({"account": account.pk}, request=request)
    if form.is_valid():
        form.save()  # our message (templates/socialaccount/messages)
    else:
        for error in form.non_field_errors():
            messages.error(request, error)
    return redirect("accounts:options")
