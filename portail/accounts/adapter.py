from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url

from portail.core.models import TownSettings
from portail.core.network import client_ip
from portail.messaging.services import send_email_message


class AccountAdapter(DefaultAccountAdapter):
    """Routes allauth's mails through the portal's outbound mail queue (retried, logged), and
    keys allauth's per-address rate limits on the real client behind `PROXY_COUNT` proxies."""

    def get_client_ip(self, request):
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def get_login_redirect_url(self, request):
        # Agents, the cashier and administrators land on their own dashboard.
        user = request.user
        if user.is_authenticated and (user.is_agent or user.is_cashier):
            return resolve_url("backoffice:home")
        return super().get_login_redirect_url(request)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # The old address is told of an e-mail change by our own mail, which carries the link
        # that cancels it (accounts.services.record_email_change).
        if template_prefix == "account/email/email_changed":
            return
        super().send_notification_mail(template_prefix, user, context, email)

    def send_mail(self, template_prefix, email, context):
        context = {**context, **_mail_context()}
        msg = self.render_mail(template_prefix, email, context)
        send_email_message(msg)


def _mail_context() -> dict:
    return {"town": TownSettings.current()}
