"""Writes of the API app: partner applications' tokens, the call log, the rate limit."""

import datetime

from django.conf import settings
from django.db import transaction

from portail.api.models import ApiCall, PartnerApplication
from portail.core import clock, ratelimit
from portail.core.audit import record
from portail.core.tokens import new_token


def _set_new_token(application: PartnerApplication) -> str:
    token, token_hash = new_token()
    application.token_hash = token_hash
    application.token_prefix = token[:8]
    application.revoked_at = None
    return token


@transaction.atomic
def create_application(
    *, name: str, scopes, contact="", expires_at=None, rate_limit=120, actor=None
) -> tuple[PartnerApplication, str]:
    """A new partner application and its token (the only time the token is seen)."""
    application = PartnerApplication(
        name=name,
        contact=contact,
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        rate_limit=rate_limit,
    )
    token = _set_new_token(application)
    application.save()
    record(actor, "api.application_created", application, scopes=application.scopes)
    return application, token


@transaction.atomic
def renew_token(application: PartnerApplication, actor=None) -> str:
    """A new token for the application; the old one stops working at once."""
    application = PartnerApplication.objects.select_for_update().get(pk=application.pk)
    token = _set_new_token(application)
    application.save(update_fields=["token_hash", "token_prefix", "revoked_at"])
    record(actor, "api.token_renewed", application)
    return token


@transaction.atomic
def revoke(application: PartnerApplication, actor=None) -> None:
    application = PartnerApplication.objects.select_for_update().get(pk=application.pk)
    if application.revoked_at is None:
        application.revoked_at = clock.now()
        application.save(update_fields=["revoked_at"])
        record(actor, "api.token_revoked", application)


def over_rate_limit(application: PartnerApplication) -> bool:
    """Count this call in the application's current minute (shared cache); True beyond its
    limit. A fixed window: at most twice the limit across a minute's boundary, which is enough
    to protect the portal from a partner's runaway loop."""
    return not ratelimit.hit("api:application", str(application.pk), application.rate_limit, 60)


def unknown_token_over_limit(ip: str) -> bool:
    """Count one call with an unknown token from this address; True beyond the setting. Calls
    that guess tokens are refused before they cost a lookup each."""
    return not ratelimit.hit("api:unknown-token", ip, settings.API_UNKNOWN_TOKEN_PER_MINUTE, 60)


def purge_calls(now) -> int:
    """Delete the call log older than API_CALL_LOG_DAYS (daily job): the log answers « who
    called what lately », not an archive; changes made through the API stay in the audit."""
    limit = now - datetime.timedelta(days=settings.API_CALL_LOG_DAYS)
    deleted, _ = ApiCall.objects.filter(at__lt=limit).delete()
    return deleted


def log_call(*, application, method: str, path: str, status: int, client_ip: str) -> None:
    now = clock.now()
    ApiCall.objects.create(
        at=now,
        application=application,
        method=method[:10],
        path=path[:255],
        status=status,
        client_ip=client_ip[:45],
    )
    if application is not None:
        PartnerApplication.objects.filter(pk=application.pk).update(last_used_at=now)
