"""Reads on accounts: lockout and activation state, agents' search."""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q

from portail.accounts.lockout import canonical_login
from portail.accounts.models import ClosureRequest, User
from portail.core import clock


def locked_addresses(user: User) -> list[str]:
    """The network addresses from which this account is locked now (axes counters)."""
    cooloff = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return list(
        AccessAttempt.objects.filter(
            username=canonical_login(user.username),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=clock.now() - cooloff,
        ).values_list("ip_address", flat=True)
    )


def is_activated(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


@dataclass
class AccountState:
    user: User
    activated: bool
    locked_from: list[str]
    open_closure: ClosureRequest | None

    @property
    def locked(self) -> bool:
        return bool(self.locked_from)


def account_state(user: User) -> AccountState:
    return AccountState(
        user=user,
        activated=is_activated(user),
        locked_from=locked_addresses(user),
        open_closure=ClosureRequest.objects.filter(user=user, confirmed_at=None).first(),
    )


def search_users(query: str):
    """The agents' account search (identifier, e-mail, name, household); the caller pages."""
    query = (query or "").strip()
    if not query:
        return User.objects.none()
    return (
        User.objects.filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(last_name__icontains=query)
            | Q(adult__household__name__icontains=query)
        )
        .distinct()
        .order_by("username")
    )


def open_closure_requests():
    return ClosureRequest.objects.filter(confirmed_at=None).select_related("user")


def locked_accounts() -> list[AccountState]:
    cooloff = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    names = set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=clock.now() - cooloff,
        ).values_list("username", flat=True)
    )
    return [account_state(u) for u in User.objects.filter(username__in=names)]
