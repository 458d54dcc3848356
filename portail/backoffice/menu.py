"""What each back-office role may open: one list, read by the dashboard (its menu) and by the
tests (the permission matrix). The views check the same roles server-side
(`core.permissions`); this list only decides what is shown."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


def _agent(user):
    return user.is_agent


def _cashier(user):
    return user.is_cashier


def _staff(user):
    return user.is_agent or user.is_cashier


def _admin(user):
    return user.is_active and user.is_superuser


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    allowed: object
    anchor: str = ""

    def url(self) -> str:
        return reverse(self.url_name) + self.anchor


ENTRIES = [
    Entry("backoffice:search", _("Families (search, record)"), _staff),
    Entry("procedures_agent:home", _("Requests to process"), _agent),
    Entry("documents_agent:home", _("Supporting documents to check"), _agent),
    Entry("agenda_agent:home", _("Attendance and closed days"), _agent),
    Entry("agenda_agent:headcounts", _("Headcounts for the kitchen"), _agent),
    Entry("accounts_agent:home", _("Parents' accounts"), _agent),
    Entry("pages_agent:home", _("Messages received through « Contact us »"), _agent),
    Entry("billing_agent:home", _("Cash desk and prepaid accounts"), _staff),
    Entry("billing_agent:journal", _("Cash journal"), _cashier),
    Entry("billing_agent:negative", _("Accounts below zero"), _staff),
    Entry("backoffice:journal", _("Journal of actions"), _agent),
    Entry("backoffice:jobs", _("Scheduled jobs"), _staff),
    Entry("imports_agent:invitations", _("Invitations of the imported families"), _agent),
    Entry("imports_agent:home", _("Import from the previous software"), _admin),
    Entry("admin:index", _("Town settings (administration)"), _admin),
]


def menu_for(user) -> list[tuple[str, str]]:
    """(label, url) of every area the user may open, in the dashboard's order."""
    items = []
    for entry in ENTRIES:
        if not entry.allowed(user):
            continue
        try:
            items.append((entry.label, entry.url()))
        except NoReverseMatch:  # an area turned off in this deployment
            continue
    return items
