"""Writes of the API app: partner applications' tokens, the call log, the rate limit."""

from django.core.cache import cache
from django.db import transaction

from portail.api.models import ApiCall, PartnerApplication
from portail.core import clock
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
    key = f"api-rate:{application.pk}:{int(clock.now().timestamp()) // 60}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > application.rate_limit


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
