"""Invitation links and mails for adults imported without an account (used by a run, which
invites the new adults, and by the services that resend an invitation)."""

from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portail.core import tokens
from portail.core.models import TownSettings
from portail.families.models import Adult
from portail.imports.models import Invitation
from portail.messaging.services import send_emails


def invitation_link(token: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{reverse('imports:invitation', args=[token])}"


def invitation_mails(invitations: list[tuple[Adult, str, str, object]]) -> list[tuple]:
    """(to, subject, body) of each (adult, household name, token, expiry), in French; the
    template and the town are read once for thousands of mails."""
    with translation.override(settings.LANGUAGE_CODE):
        template = get_template("imports/invitation_mail.txt")
        town = TownSettings.current()
        subject = _("Your family portal: choose your identifier and password")
        return [
            (
                adult.email,
                subject,
                template.render(
                    {
                        "adult": adult,
                        "household_name": household_name,
                        "link": invitation_link(token),
                        "expires_at": expires_at,
                        "town": town,
                    }
                ),
            )
            for adult, household_name, token, expires_at in invitations
        ]


def invite_adults(adults: list[Adult], household_names: dict) -> int:
    """One invitation per adult with an e-mail, mailed after the transaction commits."""
    if not adults:
        return 0
    invitations, mails = [], []
    for adult in adults:
        token, digest = tokens.new_token()
        invitation = Invitation(adult=adult, token_hash=digest)
        invitations.append(invitation)
        mails.append((adult, household_names[adult.household_id], token, invitation.expires_at))
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    send_emails(invitation_mails(mails))
    return len(invitations)
