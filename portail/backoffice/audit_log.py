"""The audit trail in French (issue 13, item 8): one sentence per action code, one formatter
for the journal (« Journal des actions ») and the family record.

Every code written by `core.audit.record` in the code base is in ACTIONS (grep `audit.record(`
and `record(actor`); `tests/backoffice/test_audit_log.py` checks that none is missing. A code
added later without a sentence still reads in French (« Action enregistrée : <code> »).
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

# code -> sentence; %(key)s are the event's data (missing keys read as empty).
ACTIONS = {
    # families (profile, partner API, family record)
    "household.updated": _("Address of the household changed"),
    "household.contact_added": _("Contact added to the household"),
    "household.contact_corrected": _("Other phone or e-mail of the household corrected"),
    "household.address_corrected": _("Address of the household corrected by the service"),
    "household.quotient_set": _("Family quotient set to %(after)s (proof: %(proof_name)s)"),
    "adult.corrected": _("Details of %(name)s corrected by the service"),
    "child.corrected": _("Class level or health details of %(name)s corrected"),
    "child.schooling_updated": _("School or class level of a child changed"),
    "agenda.school_changed": _(
        "School change from %(from_school)s to %(to_school)s on %(effective)s "
        "(%(bookings_cancelled)s booking(s) cancelled)"
    ),
    # accounts
    "accounts.email_change_cancelled": _("E-mail change cancelled (%(restored)s kept)"),
    "accounts.closure_confirmed": _("Closure of the account %(username)s confirmed"),
    "accounts.unlocked": _("Account %(username)s unlocked"),
    "accounts.activation_resent": _("Activation link sent again to %(email)s"),
    "accounts.purge_kept": _("Account kept at the purge: %(reason)s"),
    # documents
    "documents.upload": _("Supporting document sent: %(type)s"),
    "documents.validate": _("Supporting document validated (valid until %(valid_until)s)"),
    "documents.invalidate": _("Supporting document refused: %(reason)s"),
    "documents.request": _("Supporting document asked from the family: %(type)s"),
    "documents.expire": _("Supporting document expired"),
    # procedures (one code per status reached)
    "procedures.pending": _("Request %(reference)s submitted"),
    "procedures.processing": _("Request %(reference)s taken in hand"),
    "procedures.closed": _("Request %(reference)s closed"),
    "procedures.documents_overridden": _(
        "Request %(reference)s closed without all its documents valid: %(reason)s"
    ),
    "procedures.rejected": _("Request %(reference)s rejected"),
    "procedures.cancelled": _("Request %(reference)s withdrawn"),
    "procedures.draft": _("Request %(reference)s back to draft"),
    "procedures.draft_purged": _("Old draft request deleted"),
    # agenda
    "agenda.closure_added": _("Closed day added: %(date)s (%(reason)s)"),
    "agenda.closure_removed": _("Closed day removed: %(date)s"),
    "agenda.bookings_changed": _("Bookings of %(date)s changed"),
    "agenda.attendance_recorded": _("Attendance of %(date)s recorded"),
    "agenda.unbooked_presence": _("Presence without booking recorded on %(date)s"),
    # billing
    "billing.cash_payment": _("Cash payment of %(amount)s € (receipt %(receipt)s)"),
    "billing.refund": _("Refund of %(amount)s € credited: %(reason)s"),
    "billing.reversal": _("Ledger entry reversed (%(amount)s €): %(reason)s"),
    "billing.export": _("Accounting export from %(start)s to %(end)s"),
    "billing.cash_journal": _("Cash journal of %(day)s consulted"),
    "billing.negative_export": _("List of the accounts below zero exported"),
    "billing.balance_reminder": _("Reminder of the balance (%(balance)s €) sent to %(to)s"),
    "pages.contact_reply": _("Reply sent by e-mail to %(to)s"),
    "pages.contact_handled": _("Contact message marked as handled"),
    "pages.contact_reopened": _("Contact message back to be handled"),
    "core.daily_digest": _("Daily digest of new work set"),
    # imports
    "imports.mapping_saved": _("Import column mapping « %(name)s » saved"),
    "imports.file_uploaded": _("Import file %(file)s sent"),
    "imports.checked": _("Import file %(file)s checked"),
    "imports.confirmed": _("Import of %(file)s confirmed"),
    "imports.imported": _("File %(file)s imported"),
    "imports.invitation_resent": _("Invitation sent again to %(email)s"),
    "imports.invitation_accepted": _("Invitation accepted by %(email)s"),
    # partner API
    "api.application_created": _("Partner application created"),
    "api.token_renewed": _("Token of a partner application renewed"),
    "api.token_revoked": _("Token of a partner application revoked"),
}

# French labels of the fields an agent changes (what the « changes » data shows).
FIELDS = {
    "address_line1": _("address"),
    "address_line2": _("address (continued)"),
    "postcode": _("postcode"),
    "city": _("city"),
    "first_name": _("first name"),
    "last_name": _("last name"),
    "relationship": _("relationship"),
    "email": _("e-mail"),
    "phone": _("phone"),
    "level": _("class level"),
    "school": _("school"),
    "has_pai": _("PAI"),
    "allergies": _("allergies"),
    "no_pork": _("no pork"),
    "gluten_free": _("gluten free"),
    "kind": _("kind"),
    "channel": _("kind"),
    "value": _("value"),
    "label": _("label"),
}


class _Lenient(dict):
    def __missing__(self, key):
        return self.get("_blank", "")


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    return str(value)


def _french_data(data: dict) -> _Lenient:
    values = _Lenient()
    for key, value in (data or {}).items():
        if key in ("amount",) and isinstance(value, str):
            value = value.replace(".", ",")
        if isinstance(value, str) and len(value) == 10 and value[4:5] == value[7:8] == "-":
            value = f"{value[8:10]}/{value[5:7]}/{value[0:4]}"  # ISO date -> dd/mm/yyyy
        values[key] = _plain(value) if not isinstance(value, list | dict) else value
    return values


def action_label(action: str) -> str:
    """The sentence with « … » for its details, for the journal's « Action » filter."""
    return str(ACTIONS[action]) % _Lenient(_blank="…")


def sentence(action: str, data: dict) -> str:
    template = ACTIONS.get(action)
    if template is None:
        return str(_("Action recorded: %(code)s")) % {"code": action}
    return str(template) % _french_data(data)


def changes(data: dict) -> list[str]:
    """« téléphone : 06 00 00 00 00 → 06 12 34 56 78 » for each field changed."""
    lines = []
    raw = (data or {}).get("changes") or {}
    for field, value in raw.items():
        label = FIELDS.get(field, field)
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}\u00a0: {_plain(value[0])} → {_plain(value[1])}")
        else:
            lines.append(f"{label}\u00a0: {_plain(value)}")
    return lines


@dataclasses.dataclass
class Line:
    event: object
    sentence: str
    details: list[str]
    family_name: str = ""

    @property
    def actor_name(self) -> str:
        actor = self.event.actor
        if actor is None:
            return str(_("the portal"))
        return actor.get_full_name() or actor.username


def lines(events) -> list[Line]:
    return [Line(e, sentence(e.action, e.data), changes(e.data)) for e in events]
