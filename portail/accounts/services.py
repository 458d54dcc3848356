"""Writes on accounts: identifier reminder, identifier change, closure, agents' actions, purge."""

import datetime

from allauth.account.models import EmailAddress
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from portail.accounts.lockout import canonical_login
from portail.accounts.models import ClosureRequest, EmailChange, User
from portail.accounts.signals import account_closed
from portail.core import audit, clock, tokens
from portail.core.models import TownSettings
from portail.families.selectors import household_ids_of
from portail.families.services import delete_households_without_account, forget_account
from portail.messaging.services import send_email


def _render(template: str, context: dict) -> str:
    return render_to_string(template, {"town": TownSettings.current(), **context})


def send_identifier(email: str, login_url: str) -> None:
    """« Envoyer mon identifiant »: mail the identifier to the address if an account uses it.

    Nothing tells the caller whether one does (the page says the same in both cases)."""
    email = (email or "").strip().lower()
    # The account's address, or another of its confirmed ones (never a pending one).
    users = User.objects.filter(
        Q(email__iexact=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True),
        is_active=True,
    ).distinct()
    for user in users:
        body = _render(
            "accounts/email/identifier.txt",
            {"user": user, "login_url": login_url},
        )
        send_email(email, _("Your identifier on the family portal"), body)


@transaction.atomic
def change_username(user: User, new_username: str) -> User:
    """« Modifier mon identifiant »: confirmed by a mail to the account's address."""
    user = User.objects.select_for_update().get(pk=user.pk)
    old = user.username
    user.username = new_username
    user.save(update_fields=["username"])
    body = _render(
        "accounts/email/identifier_changed.txt",
        {"user": user, "old_username": old, "timestamp": clock.local_now()},
    )
    send_email(user.email, _("Your identifier has been changed"), body)
    return user


# --- e-mail change and its cancellation ------------------------------------------------------


def _absolute_url(request, path: str) -> str:
    """`path` as a link for a mail: from the request when there is one, else from SITE_URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


EMAIL_CHANGE_CANCEL_DAYS = 7


@transaction.atomic
def record_email_change(user: User, old_email: str, new_email: str, request=None) -> EmailChange:
    """The new address was confirmed and replaced `old_email`: mail the old address a link that
    cancels the change during `EMAIL_CHANGE_CANCEL_DAYS` days."""
    token, token_hash = tokens.new_token()
    change = EmailChange.objects.create(
        user=user,
        old_email=old_email.lower(),
        new_email=new_email.lower(),
        token_hash=token_hash,
        changed_at=clock.now(),
    )
    body = _render(
        "accounts/email/email_changed.txt",
        {
            "user": user,
            "change": change,
            "cancel_url": _absolute_url(
                request, reverse("accounts:cancel_email_change", args=[token])
            ),
            "days": EMAIL_CHANGE_CANCEL_DAYS,
            "timestamp": clock.local_now(),
        },
    )
    send_email(change.old_email, _("The e-mail address of your account has been changed"), body)
    return change


def email_change_for_token(token: str) -> EmailChange | None:
    """The change a cancel link names, if that link can still be used."""
    change = (
        EmailChange.objects.select_related("user")
        .filter(token_hash=tokens.hash_token(token or ""))
        .first()
    )
    if change is None or not _cancellable(change):
        return None
    return change


def _cancellable(change: EmailChange) -> bool:
    deadline = change.changed_at + datetime.timedelta(days=EMAIL_CHANGE_CANCEL_DAYS)
    return (
        change.cancelled_at is None
        and change.revoked_at is None
        and change.user.is_active
        and clock.now() < deadline
    )


@transaction.atomic
def cancel_email_change(change: EmailChange) -> EmailChange:
    """Put the old address back as the account's sign-in and contact address.

    Password reset links sent meanwhile stop working (their token covers the account's
    addresses), and every other open cancel link of the account is revoked, so whoever made
    the change cannot undo the cancellation. Raises ValidationError when the link is no longer
    valid or the old address now belongs to another account."""
    user = User.objects.select_for_update().get(pk=change.user_id)
    change = EmailChange.objects.select_for_update().select_related("user").get(pk=change.pk)
    if not _cancellable(change):
        raise ValidationError(_("This link is no longer valid."))
    taken = (
        User.objects.filter(email__iexact=change.old_email).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=change.old_email, verified=True)
        .exclude(user=user)
        .exists()
    )
    if taken:
        raise ValidationError(
            _(
                "The address %(email)s is now used by another account: contact the service "
                "through « Contact us »."
            )
            % {"email": change.old_email}
        )
    now = clock.now()
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=change.old_email, verified=True, primary=True)
    user.email = change.old_email
    user.save(update_fields=["email"])
    change.cancelled_at = now
    change.save(update_fields=["cancelled_at"])
    EmailChange.objects.filter(user=user, cancelled_at=None, revoked_at=None).update(revoked_at=now)
    audit.record(
        None,
        "accounts.email_change_cancelled",
        user,
        restored=change.old_email,
        removed=change.new_email,
    )
    return change


def unlock(user: User) -> int:
    """Lift the lockout of this account, from every address (axes counters)."""
    return axes_reset(username=canonical_login(user.username)) or 0


@transaction.atomic
def request_closure(user: User, reason: str = "") -> ClosureRequest:
    """The parent asks for the account's closure; an agent confirms it."""
    User.objects.select_for_update().get(pk=user.pk)
    existing = ClosureRequest.objects.filter(user=user, confirmed_at=None).first()
    if existing:
        return existing
    household = getattr(getattr(user, "adult", None), "household", None)
    closure = ClosureRequest.objects.create(
        user=user,
        username=user.username,
        household_name=household.name if household else "",
        reason=reason,
        requested_at=clock.now(),
    )
    body = _render("accounts/email/closure_requested.txt", {"user": user})
    send_email(user.email, _("Your request to close your account"), body)
    return closure


@transaction.atomic
def confirm_closure(agent: User, closure: ClosureRequest) -> ClosureRequest:
    """Close the account: no more sign-in, personal contact data erased from the account.

    The household, its ledger, payments and issued documents are kept (legal retention);
    the adult stays as a name on those records but loses the link to the account."""
    closure = ClosureRequest.objects.select_for_update().get(pk=closure.pk)
    if closure.confirmed_at:
        return closure
    user = User.objects.select_for_update().filter(pk=closure.user_id).first()
    if user is not None:
        email = user.email
        body = _render("accounts/email/closure_confirmed.txt", {"user": user})
        send_email(email, _("Your account has been closed"), body)

        household = forget_account(user)
        EmailAddress.objects.filter(user=user).delete()
        # The addresses go with the rest; their cancel links stop working.
        EmailChange.objects.filter(user=user).delete()
        user.is_active = False
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.username = f"closed-{user.pk}"
        user.set_unusable_password()
        user.save()
        account_closed.send(sender=User, user=user, household=household)
    closure.confirmed_at = clock.now()
    closure.confirmed_by = agent
    closure.save(update_fields=["confirmed_at", "confirmed_by"])
    audit.record(agent, "accounts.closure_confirmed", closure, username=closure.username)
    return closure


def agent_unlock(agent: User, user: User) -> None:
    unlock(user)
    audit.record(agent, "accounts.unlocked", user, username=user.username)


def agent_resend_activation(agent: User, user: User, request) -> bool:
    """Send the activation mail again (a fresh 24-hour link). False when nothing to activate."""
    address = EmailAddress.objects.filter(user=user, verified=False).order_by("-primary").first()
    if address is None:
        return False
    # A fresh link for a parent who missed the first: the 24-hour purge counts from now.
    User.objects.filter(pk=user.pk).update(date_joined=clock.now())
    address.send_confirmation(request, signup=True)
    audit.record(agent, "accounts.activation_resent", user, email=address.email)
    return True


def unactivated_accounts(now: datetime.datetime):
    """Accounts created by sign-up whose address was never confirmed within the delay."""
    limit = now - datetime.timedelta(hours=settings.ACCOUNT_ACTIVATION_HOURS)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    pending = EmailAddress.objects.filter(verified=False).values("user_id")
    return User.objects.filter(
        pk__in=pending,
        date_joined__lt=limit,
        last_login=None,
        is_staff=False,
        is_superuser=False,
    ).exclude(pk__in=verified)


@transaction.atomic
def purge_unactivated(now: datetime.datetime) -> int:
    """Delete accounts not activated in time, with the household created for them alone.

    What has money history is kept, never deleted nor unlinked from it (the ledger is sealed,
    its foreign keys PROTECT): a user who authored a ledger entry or a receipt is deactivated
    instead, a household with entries or payments (e.g. cash taken at the town hall before
    the parent activated) stays, without the account. Idempotent: a second run finds nothing
    more to delete."""
    users = list(unactivated_accounts(now).filter(is_active=True).select_for_update())
    count = 0
    for user in users:
        household_ids = household_ids_of(user)
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
            audit.record(None, "accounts.purge_kept", user, reason="money history")
            continue
        # The household was made with the account; delete it unless someone else holds it.
        for household in delete_households_without_account(household_ids):
            audit.record(None, "accounts.purge_kept", household, reason="money history")
        count += 1
    return count


@transaction.atomic
def create_invited_account(
    *, username: str, email: str, password: str, first_name: str, last_name: str
) -> User:
    """The account an invited parent makes by following the invitation: the e-mail is proven by
    the link that reached it, so the address is verified at once."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
