"""Every write on requests. Each status change goes through `_change`, which checks the rules,
records who, when and why, and tells the family in the same transaction."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portail.core import audit, clock, counters
from portail.documents.selectors import requirements_for
from portail.messaging.services import notify_household, send_email
from portail.procedures import rules
from portail.procedures.kinds import get_procedure
from portail.procedures.models import (
    PendingConfirmation,
    ReferenceCounter,
    Role,
    ServiceRequest,
    Status,
    StatusChange,
)


class TransitionNotAllowed(PermissionDenied):
    """The status rules forbid this change for this actor."""


class TooManyDrafts(ValidationError):
    pass


def _lock(service_request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=service_request.pk)


def _next_reference(day: datetime.date) -> str:
    return f"D-{day.year}-{counters.next_number(ReferenceCounter, year=day.year):06d}"


# --- the parent's side ---


@transaction.atomic
def start_draft(procedure, household, user, data: dict, step: int = 1) -> ServiceRequest:
    """Open a draft with the first step's answers; a family keeps a bounded number of drafts."""
    drafts = ServiceRequest.objects.select_for_update().filter(
        household=household, status=Status.DRAFT
    )
    if drafts.count() >= settings.PROCEDURES_MAX_DRAFTS:
        raise TooManyDrafts(
            _(
                "You already have %(n)s draft requests. Resume or delete one in « My requests » "
                "before starting another."
            )
            % {"n": settings.PROCEDURES_MAX_DRAFTS}
        )
    now = clock.now()
    sr = ServiceRequest.objects.create(
        kind=procedure.slug,
        household=household,
        created_by=user,
        draft_data=data,
        step=step,
        created_at=now,
        updated_at=now,
    )
    StatusChange.objects.create(
        request=sr, from_status="", to_status=Status.DRAFT, actor=user, role=Role.PARENT, at=now
    )
    return sr


@transaction.atomic
def save_step(service_request, user, data: dict, step: int) -> ServiceRequest:
    """Keep a step's answers in the working copy (drafts are saved as the parent goes)."""
    sr = _lock(service_request)
    if not sr.is_modifiable:
        raise TransitionNotAllowed(_("This request can no longer be modified."))
    sr.draft_data = {**sr.draft_data, **data}
    sr.step = max(sr.step, step)
    sr.updated_at = clock.now()
    sr.save(update_fields=["draft_data", "step", "updated_at"])
    return sr


@transaction.atomic
def replace_working_copy(service_request, user, data: dict) -> ServiceRequest:
    sr = _lock(service_request)
    if not sr.is_modifiable:
        raise TransitionNotAllowed(_("This request can no longer be modified."))
    sr.draft_data = data
    sr.updated_at = clock.now()
    sr.save(update_fields=["draft_data", "updated_at"])
    return sr


@transaction.atomic
def submit(service_request, user) -> ServiceRequest:
    """« ENREGISTRER LA DEMANDE »: a draft becomes pending; a pending one takes its changes."""
    sr = _lock(service_request)
    if not rules.is_allowed(sr.status, Status.PENDING, Role.PARENT):
        raise TransitionNotAllowed(_("This request can no longer be modified."))
    if sr.status == Status.PENDING and sr.draft_data == sr.data:
        return sr  # nothing changed (a second click): no new change, no second mail
    sr.procedure.validate(sr.draft_data, sr.household)
    comment = _("Request modified by the family.") if sr.status == Status.PENDING else ""
    if not sr.reference:
        sr.reference = _next_reference(clock.today())
    sr.data = sr.draft_data
    sr.submitted_at = clock.now()
    sr.agent_message = ""
    return _change(sr, Status.PENDING, user, Role.PARENT, comment)


@transaction.atomic
def discard(service_request, user) -> None:
    """« abandonner la demande »: a draft is deleted; a pending request keeps its submitted
    version and drops the unsaved changes."""
    sr = _lock(service_request)
    if sr.status == Status.DRAFT:
        sr.delete()
    elif sr.status == Status.PENDING:
        sr.draft_data = sr.data
        sr.save(update_fields=["draft_data"])
    else:
        raise TransitionNotAllowed(_("This request can no longer be modified."))


@transaction.atomic
def cancel(service_request, user) -> ServiceRequest:
    sr = _lock(service_request)
    return _change(sr, Status.CANCELLED, user, Role.PARENT, _("Request cancelled by the family."))


@transaction.atomic
def file_public_request(procedure, data: dict, name: str, email: str, user=None, household=None):
    """A request filed without an account (renseignement): pending at once, answered by e-mail."""
    now = clock.now()
    sr = ServiceRequest.objects.create(
        kind=procedure.slug,
        household=household,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        contact_name=name,
        contact_email=email,
        reference=_next_reference(clock.today()),
        status=Status.DRAFT,
        data=data,
        draft_data=data,
        submitted_at=now,
        created_at=now,
        updated_at=now,
    )
    return _change(sr, Status.PENDING, sr.created_by, Role.PARENT, "")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def ask_confirmation(procedure, data: dict, name: str, email: str) -> PendingConfirmation:
    """A request from someone without an account: kept aside, and ONE mail to the address typed
    with a link to confirm it. The mail's subject and text are ours, nothing the sender typed:
    the portal never relays a stranger's words to an address nobody has proven."""
    token = secrets.token_urlsafe(32)
    pending = PendingConfirmation.objects.create(
        kind=procedure.slug,
        token_hash=_token_hash(token),
        contact_name=name,
        contact_email=email,
        data=data,
    )
    link = settings.SITE_URL.rstrip("/") + reverse("procedures:confirm", args=[token])
    with translation.override(settings.LANGUAGE_CODE):
        send_email(
            email,
            _("Confirm your request to the family portal"),
            _(
                "Someone, probably you, asked the town's school service a question from the "
                "family portal with this e-mail address.\n\n"
                "To send the question to the service, open this link within %(hours)s hours:\n"
                "%(link)s\n\n"
                "If it was not you, ignore this mail: nothing will be sent."
            )
            % {"hours": settings.PROCEDURES_CONFIRMATION_HOURS, "link": link},
        )
    return pending


def pending_confirmation(token: str) -> PendingConfirmation | None:
    """The request waiting behind a confirmation link, if the link is valid and not expired."""
    limit = clock.now() - datetime.timedelta(hours=settings.PROCEDURES_CONFIRMATION_HOURS)
    return PendingConfirmation.objects.filter(
        token_hash=_token_hash(token or ""), created_at__gt=limit
    ).first()


@transaction.atomic
def confirm(token: str) -> ServiceRequest | None:
    """The sender opened the link: the request reaches the service and takes its reference,
    once (a second click finds nothing)."""
    pending = pending_confirmation(token)
    if pending is None:
        return None
    pending = PendingConfirmation.objects.select_for_update().filter(pk=pending.pk).first()
    if pending is None:
        return None

    sr = file_public_request(
        get_procedure(pending.kind), pending.data, pending.contact_name, pending.contact_email
    )
    pending.delete()
    return sr


@transaction.atomic
def purge_unconfirmed(day: datetime.date) -> int:
    """Forget requests whose confirmation link had expired when `day` began."""
    day_before = clock.end_of_day(day - datetime.timedelta(days=1))
    limit = day_before - datetime.timedelta(hours=settings.PROCEDURES_CONFIRMATION_HOURS)
    count, _deleted = PendingConfirmation.objects.filter(created_at__lte=limit).delete()
    return count


# --- the agents' side ---


@transaction.atomic
def take(service_request, agent, comment: str = "") -> ServiceRequest:
    return _change(_lock(service_request), Status.PROCESSING, agent, Role.AGENT, comment)


def documents_not_valid(sr: ServiceRequest) -> list:
    """The supporting documents the request's procedure needs that are not valid (réclamé,
    invalide, non fourni, périmé, or not checked yet), when they must be to close it."""
    if not sr.procedure.valid_documents_to_close or sr.household_id is None:
        return []
    data = sr.draft_data if sr.status == Status.DRAFT else sr.data
    child = sr.procedure.documents_child(data, sr.household)
    return [r for r in requirements_for(sr.household, sr.kind, child=child) if not r.is_satisfied]


@transaction.atomic
def close(service_request, agent, comment: str = "", override_reason: str = "") -> ServiceRequest:
    """Carry out the request (its procedure's `apply`) and close it, all or nothing. A procedure
    that needs valid documents closes with some not valid only with the agent's written reason,
    stored on the request and audited."""
    sr = _lock(service_request)
    if not rules.is_allowed(sr.status, Status.CLOSED, Role.AGENT):
        raise TransitionNotAllowed(_("This change is not allowed."))
    if sr.procedure.answer_required and not (comment or "").strip():
        raise ValidationError(_("Write the answer to send."))
    not_valid = documents_not_valid(sr)
    override_reason = (override_reason or "").strip()
    if not_valid and not override_reason:
        names = ", ".join(
            f"{r.document_type.name} ({r.concerns_label}\u00a0: {r.get_state_display()})"
            for r in not_valid
        )
        raise ValidationError(
            {
                "override_reason": _(
                    "Some supporting documents are not valid: %(names)s. Check them first, or "
                    "write why the request is closed anyway."
                )
                % {"names": names}
            }
        )
    if not_valid:
        sr.documents_override_reason = override_reason
        sr.documents_override_by = agent if getattr(agent, "pk", None) else None
        sr.documents_override_at = clock.now()
        audit.record(
            agent,
            "procedures.documents_overridden",
            sr,
            reference=sr.reference,
            reason=override_reason,
            documents=[f"{r.document_type.name}: {r.state}" for r in not_valid],
        )
    sr.procedure.apply(sr, agent)
    return _change(sr, Status.CLOSED, agent, Role.AGENT, comment)


@transaction.atomic
def reject(service_request, actor, reason: str, role: str = Role.AGENT) -> ServiceRequest:
    return _change(_lock(service_request), Status.REJECTED, actor, role, reason)


@transaction.atomic
def send_back(service_request, agent, comment: str) -> ServiceRequest:
    """Return the request to the family as a draft they can correct and submit again."""
    sr = _lock(service_request)
    sr.draft_data = sr.data
    return _change(sr, Status.DRAFT, agent, Role.AGENT, comment)


# --- the system ---


@transaction.atomic
def purge_drafts(day: datetime.date) -> int:
    """Delete drafts untouched for PROCEDURES_DRAFT_RETENTION_DAYS days before `day`."""
    limit = clock.end_of_day(
        day - datetime.timedelta(days=settings.PROCEDURES_DRAFT_RETENTION_DAYS)
    )
    old = ServiceRequest.objects.filter(status=Status.DRAFT, updated_at__lte=limit)
    count = 0
    for sr in old.select_for_update():
        audit.record(None, "procedures.draft_purged", sr, kind=sr.kind)
        sr.delete()
        count += 1
    return count


# --- the one place a status changes ---


def _change(sr: ServiceRequest, to_status: str, actor, role: str, comment: str) -> ServiceRequest:
    """Apply a status change to a locked request, or raise TransitionNotAllowed."""
    from_status = sr.status
    if not rules.is_allowed(from_status, to_status, role):
        raise TransitionNotAllowed(_("This change is not allowed."))
    comment = (comment or "").strip()
    if (from_status, to_status) in rules.NEEDS_COMMENT and not comment:
        raise ValidationError(_("Write a message to the family."))
    now = clock.now()
    sr.status = to_status
    sr.updated_at = now
    if role != Role.PARENT and comment:
        sr.agent_message = comment
    sr.save()
    change = StatusChange.objects.create(
        request=sr,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "pk", None) else None,
        role=role,
        comment=comment,
        at=now,
    )
    if role == Role.AGENT:
        audit.record(actor, f"procedures.{to_status}", sr, reference=sr.reference, comment=comment)
    _tell_family(sr, change)
    return sr


STATUS_SENTENCES = {
    (Status.DRAFT, Status.PENDING): gettext_noop(
        "Your request %(ref)s (%(title)s) has been registered. The service will process it shortly."
    ),
    (Status.PENDING, Status.PENDING): gettext_noop(
        "Your request %(ref)s (%(title)s) has been modified."
    ),
    (Status.PENDING, Status.CANCELLED): gettext_noop(
        "Your request %(ref)s (%(title)s) has been cancelled."
    ),
    (Status.PENDING, Status.PROCESSING): gettext_noop(
        "Your request %(ref)s (%(title)s) is being processed by the service."
    ),
    (Status.PROCESSING, Status.CLOSED): gettext_noop(
        "Your request %(ref)s (%(title)s) has been carried out."
    ),
    Status.REJECTED: gettext_noop("Your request %(ref)s (%(title)s) has been refused."),
    Status.DRAFT: gettext_noop(
        "Your request %(ref)s (%(title)s) needs a correction from you. "
        "Modify it in « My requests » and register it again."
    ),
}


def _sentence(from_status, to_status) -> str:
    msg = STATUS_SENTENCES.get((from_status, to_status)) or STATUS_SENTENCES[to_status]
    return _(msg)


def _tell_family(sr: ServiceRequest, change: StatusChange) -> None:
    """A message in the family's inbox now, and the e-mail after commit; one per change."""
    with translation.override(settings.LANGUAGE_CODE):
        title = sr.procedure.request_title(sr.data, sr.household)
        status_label = Status(change.to_status).label
        subject = _("Request %(ref)s: %(status)s") % {"ref": sr.reference, "status": status_label}
        body = _sentence(change.from_status, change.to_status) % {
            "ref": sr.reference,
            "title": title,
        }
        if change.comment and change.role != Role.PARENT:
            body += "\n\n" + _("Message from the service:") + "\n" + change.comment
        key = f"procedures:{sr.pk}:change:{change.pk}"
        if sr.household_id:
            link = reverse("procedures:detail", args=[sr.pk])
            notify_household(sr.household, subject, body, link=link, dedupe_key=key)
        elif sr.contact_email:
            send_email(sr.contact_email, subject, body, dedupe_key=key)
