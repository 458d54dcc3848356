"""Writes of the back-office: the agents' daily digest of new work."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.backoffice import dashboard
from portail.core import clock
from portail.messaging.services import send_email


def digest_key(user_id: int, day: datetime.date) -> str:
    return f"backoffice:digest:{user_id}:{day.isoformat()}"


def _digest_text(user, since) -> tuple[str, str] | None:
    """The mail's subject and body, or None when nothing is waiting."""
    counters = dashboard.agent_counters(user, new_since=since)
    if not any(c.count for c in counters):
        return None
    base = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        lines = []
        for c in counters:
            line = f"- {c.label}\u00a0: {c.count}"
            if c.new:
                line += " " + _("(%(new)s new since yesterday)") % {"new": c.new}
            lines.append(f"{line}\n  {base}{c.url}")
        subject = _("Back-office: the work waiting on %(day)s") % {
            "day": clock.today().strftime("%d/%m/%Y")
        }
        body = _(
            "Hello,\n\nThe work waiting in the portal's back-office:\n\n%(lines)s\n\nYou receive "
            "this digest because you asked for it on your dashboard (%(link)s); untick « daily "
            "digest » there to stop it."
        ) % {"lines": "\n".join(lines), "link": base + reverse("backoffice:home")}
    return subject, body


@transaction.atomic
def send_daily_digests(day: datetime.date) -> int:
    """One mail per agent who asked for the digest, with the counters of the dashboard and
    what arrived in the last day. Run again the same day, it sends nothing more."""
    since = datetime.datetime.combine(
        day, datetime.time(7), tzinfo=clock.PARIS
    ) - datetime.timedelta(days=1)
    agents = User.objects.filter(agent_inbox__daily_digest=True, is_active=True).exclude(email="")
    sent = 0
    for user in agents:
        if not user.is_agent:
            continue
        text = _digest_text(user, since)
        if text and send_email(user.email, *text, dedupe_key=digest_key(user.pk, day)):
            sent += 1
    return sent
