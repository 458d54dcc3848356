"""The agents' writes of the import: mappings, runs (started, confirmed: queued for the
`run_import` task, which runs `execution.execute`), invitations (resent, accepted)."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from portail.accounts.services import create_invited_account
from portail.core import audit, clock, tokens
from portail.families import services as family_services
from portail.imports import schema
from portail.imports.invitations import invitation_mails
from portail.imports.models import INVITATION_DAYS, ImportRun, Invitation, SourceMapping
from portail.imports.tasks import run_import
from portail.messaging.services import send_emails

# --- mappings --------------------------------------------------------------------------------


@transaction.atomic
def save_mapping(data: dict, actor, mapping: SourceMapping | None = None) -> SourceMapping:
    mapping = mapping or SourceMapping()
    mapping.name = data["name"]
    mapping.date_format = data["date_format"]
    mapping.mapping = data["mapping"]
    mapping.updated_at = clock.now()
    mapping.save()
    audit.record(actor, "imports.mapping_saved", mapping, name=mapping.name)
    return mapping


def load_mapping_file(data: dict, actor=None) -> SourceMapping:
    """A mapping shipped as JSON (docs/import/*.json): {name, date_format, mapping}."""
    cleaned = {
        "name": str(data["name"])[:100],
        "date_format": schema.validate_date_format(data.get("date_format", "%d/%m/%Y")),
        "mapping": schema.validate_mapping(data["mapping"]),
    }
    return save_mapping(cleaned, actor, SourceMapping.objects.filter(name=cleaned["name"]).first())


# --- runs ------------------------------------------------------------------------------------


def start_run(mapping: SourceMapping, kind: str, upload, actor) -> ImportRun:
    """Keep the file and check it (dry run) in the background."""
    run = ImportRun(mapping=mapping, kind=kind, file_name=upload.name[:255], created_by=actor)
    run.file.save(upload.name, ContentFile(upload.read()), save=False)
    run.save()
    audit.record(actor, "imports.file_uploaded", run, file=run.file_name, kind=kind)
    _enqueue(run, confirm=False)
    return run


def confirm_run(run: ImportRun, actor) -> ImportRun:
    """Write the checked file (in the background). Only a run checked without error."""
    updated = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.CHECKED).update(
        status=ImportRun.Status.RUNNING, done=0
    )
    if not updated:
        raise ValueError(_("Only a file checked without error can be imported."))
    run.refresh_from_db()
    audit.record(actor, "imports.confirmed", run, file=run.file_name)
    _enqueue(run, confirm=True)
    return run


def _enqueue(run: ImportRun, confirm: bool) -> None:
    transaction.on_commit(lambda: run_import.enqueue(run.pk, confirm))


# --- invitations -----------------------------------------------------------------------------


@transaction.atomic
def resend_invitation(invitation: Invitation, actor=None) -> Invitation:
    """A fresh link valid 14 days; the previous one stops working."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("adult__household")
        .get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None or invitation.adult.user_id:
        raise ValueError(_("This invitation was already accepted."))
    token, invitation.token_hash = tokens.new_token()
    invitation.sent_at = clock.now()
    invitation.expires_at = invitation.sent_at + datetime.timedelta(days=INVITATION_DAYS)
    invitation.times_sent += 1
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "times_sent"])
    adult = invitation.adult
    send_emails(invitation_mails([(adult, adult.household.name, token, invitation.expires_at)]))
    if actor is not None:
        audit.record(actor, "imports.invitation_resent", invitation, email=invitation.adult.email)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The valid invitation this link carries, or None (unknown, expired or used)."""
    invitation = (
        Invitation.objects.select_related("adult__household")
        .filter(token_hash=tokens.hash_token(token), accepted_at=None, adult__user=None)
        .first()
    )
    if invitation is None or invitation.expired:
        return None
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, username: str, password: str):
    """The invited adult's account, linked to their imported household."""
    invitation = (
        Invitation.objects.select_for_update().select_related("adult").get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None or invitation.expired:
        raise ValueError(_("This invitation is no longer valid."))
    adult = invitation.adult
    user = create_invited_account(
        username=username,
        email=adult.email,
        password=password,
        first_name=adult.first_name,
        last_name=adult.last_name,
    )
    family_services.link_account(adult, user)
    invitation.accepted_at = clock.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(user, "imports.invitation_accepted", invitation, email=adult.email)
    return user


def reinvite_for_signup(email: str) -> bool:
    """Sign-up with the e-mail of an imported adult without an account: a fresh invitation
    instead of a second household. True when the address was such an adult's."""
    invitation = (
        Invitation.objects.filter(adult__email__iexact=email, adult__user=None, accepted_at=None)
        .order_by("pk")
        .first()
    )
    if invitation is None:
        return False
    resend_invitation(invitation)
    return True
