"""allauth hooks for FranceConnect: shown only when the town turned it on, never linked to an
existing account on an e-mail match, and logout ending FranceConnect's session too."""

import logging

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.urls import reverse

from portail.accounts.adapter import AccountAdapter
from portail.core.models import TownSettings
from portail.franceconnect import views

logger = logging.getLogger(__name__)


def franceconnect_enabled() -> bool:
    return TownSettings.current().franceconnect_enabled


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        # The person sees a plain French page; the operator gets the reason in the log.
        logger.warning("FranceConnect sign-in refused: %s %r", error, exception)
        return super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )

    def list_apps(self, request, provider=None, client_id=None):
        # « FranceConnect activé » off: no button, and its URLs answer 404.
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        if not franceconnect_enabled():
            apps = [app for app in apps if app.provider != views.PROVIDER_ID]
        return apps

    def get_connect_redirect_url(self, request, socialaccount):
        return reverse("accounts:options")

    def get_signup_form_initial_data(self, sociallogin):
        user = sociallogin.user
        # An identifier suggested from the names (« angela.dubois »), free to change.
        first = (user.first_name or "").split()
        hints = [f"{first[0]}.{user.last_name}" if first and user.last_name else "", user.email]
        return {
            "email": user.email,
            "username": get_account_adapter().generate_unique_username([h for h in hints if h]),
        }


class FranceConnectAccountAdapter(AccountAdapter):
    """The portal's account adapter, plus FranceConnect's end-session at logout."""

    def is_reauthentication_required(self, *, app, **kwargs):
        # Linking or unlinking FranceConnect asks for the password again (allauth's « confirm
        # your password », valid 5 minutes): a borrowed session cannot attach someone else's
        # FranceConnect identity to the account, nor detach the parent's.
        if app == "allauth.socialaccount":
            return True
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_logout_redirect_url(self, request):
        return views.end_session_url(request) or super().get_logout_redirect_url(request)

    def logout(self, request):
        state = getattr(request, "franceconnect_logout_state", None)
        super().logout(request)  # flushes the session
        if state:
            request.session[views.LOGOUT_STATE_SESSION_KEY] = state
