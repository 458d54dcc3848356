"""Every write on supporting documents: upload, agents' check and request, the daily job."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portail.core import audit, clock
from portail.documents.models import Concerns, DocumentClaim, DocumentType, SupportingDocument
from portail.documents.uploads import check_upload
from portail.families.models import Household
from portail.messaging.services import notify_household


def _check_concerned(household, document_type, adult, child):
    """Whom the document concerns must match the type and belong to the household."""
    if adult is not None and adult.household_id != household.pk:
        raise ValueError("adult of another household")
    if child is not None and child.household_id != household.pk:
        raise ValueError("child of another household")
    expected = {Concerns.HOUSEHOLD: (False, False), Concerns.ADULT: (True, False)}
    expected[Concerns.CHILD] = (False, True)
    if expected[document_type.concerns] != (adult is not None, child is not None):
        raise ValueError("whom it concerns does not match the document type")


def _link() -> str:
    return reverse("documents:provide")


def _tell_family(document, event: str, subject, body, **values) -> None:
    """The family's message about one of its documents, once per (document, event): `body`'s
    « %(what)s » is the document and whom it concerns, « %(date)s » its end of validity."""
    what = _concerned_text(document.document_type, document.adult, document.child)
    date = document.valid_until.strftime("%d/%m/%Y") if document.valid_until else ""
    notify_household(
        document.household,
        subject,
        body % {"what": what, "date": date, **values},
        link=_link(),
        dedupe_key=f"document:{document.pk}:{event}",
    )


def _concerned_text(document_type, adult, child) -> str:
    if child is not None:
        return f"{document_type.name} ({child.first_name})"
    if adult is not None:
        return f"{document_type.name} ({adult})"
    return document_type.name


@transaction.atomic
def upload_document(
    *,
    household: Household,
    document_type: DocumentType,
    file,
    uploaded_by=None,
    adult=None,
    child=None,
) -> SupportingDocument:
    """Store a family's file for a requirement; it is then « non traité » (pending).

    Raises ValidationError (French message) for a bad file: nothing is stored then.
    """
    _check_concerned(household, document_type, adult, child)
    # Checked before anything touches the disk (DocumentFileField already did it in a form).
    checked = getattr(file, "checked", None) or check_upload(file)
    Household.objects.select_for_update().get(pk=household.pk)
    document = SupportingDocument(
        household=household,
        document_type=document_type,
        adult=adult,
        child=child,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=uploaded_by,
        uploaded_at=clock.now(),
    )
    file.seek(0)
    document.file.save(f"upload.{checked.extension}", file, save=False)
    stored = document.file.name
    try:
        document.save()
        DocumentClaim.objects.filter(
            household=household, document_type=document_type, adult=adult, child=child
        ).filter(closed_at=None).update(closed_at=clock.now(), answer=document)
        audit.record(uploaded_by, "documents.upload", document, type=document_type.name)
    except Exception:
        document.file.storage.delete(stored)
        raise
    # If the caller's transaction rolls back later, the file is left unreferenced: the daily
    # job (`documents_daily`) removes such files.
    return document


def remove_orphan_files(older_than: datetime.datetime) -> int:
    """Delete stored files that no document references (a rolled-back upload)."""
    known = set(SupportingDocument.objects.values_list("file", flat=True))
    removed = 0

    def walk(folder):
        nonlocal removed
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in files:
            path = f"{folder}/{name}"
            if path not in known and default_storage.get_modified_time(path) < older_than:
                default_storage.delete(path)
                removed += 1
        for sub in folders:
            walk(f"{folder}/{sub}")

    walk("documents")
    return removed


def _locked(document: SupportingDocument) -> SupportingDocument:
    return (
        SupportingDocument.objects.select_for_update(of=("self",))
        .select_related("household", "document_type", "adult", "child")
        .get(pk=document.pk)
    )


@transaction.atomic
def validate_document(
    *, document: SupportingDocument, agent, valid_until: datetime.date | None
) -> SupportingDocument:
    """An agent accepts the document until `valid_until` (None: no end)."""
    document = _locked(document)
    if document.status != SupportingDocument.Status.PENDING:
        raise ValidationError(_("This document has already been processed."), code="processed")
    if valid_until is not None and valid_until < clock.today():
        raise ValidationError(_("The end of validity cannot be in the past."), code="past")
    document.status = SupportingDocument.Status.VALID
    document.valid_until = valid_until
    document.reason = ""
    document.checked_at = clock.now()
    document.checked_by = agent
    document.save()
    audit.record(agent, "documents.validate", document, valid_until=str(valid_until or ""))
    if valid_until:
        body = _("Your document « %(what)s » has been accepted. It is valid until %(date)s.")
    else:
        body = _("Your document « %(what)s » has been accepted.")
    _tell_family(document, "valid", _("Supporting document accepted"), body)
    return document


@transaction.atomic
def invalidate_document(*, document: SupportingDocument, agent, reason: str):
    """An agent refuses the document, with the reason the family will read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason of the refusal."), code="reason")
    document = _locked(document)
    if document.status != SupportingDocument.Status.PENDING:
        raise ValidationError(_("This document has already been processed."), code="processed")
    document.status = SupportingDocument.Status.INVALID
    document.reason = reason
    document.valid_until = None
    document.checked_at = clock.now()
    document.checked_by = agent
    document.save()
    audit.record(agent, "documents.invalidate", document, reason=reason)
    _tell_family(
        document,
        "invalid",
        _("Supporting document refused"),
        _(
            "Your document « %(what)s » could not be accepted: %(reason)s\n"
            "Please provide a new one (« Fournir mes nouveaux justificatifs @ »)."
        ),
        reason=reason,
    )
    return document


@transaction.atomic
def request_document(
    *,
    household: Household,
    document_type: DocumentType,
    agent,
    message: str,
    adult=None,
    child=None,
) -> DocumentClaim:
    """An agent asks the family for a document (« réclamé »)."""
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Write a message to the family."), code="message")
    _check_concerned(household, document_type, adult, child)
    Household.objects.select_for_update().get(pk=household.pk)
    DocumentClaim.objects.filter(
        household=household, document_type=document_type, adult=adult, child=child, closed_at=None
    ).update(closed_at=clock.now())
    claim = DocumentClaim.objects.create(
        household=household,
        document_type=document_type,
        adult=adult,
        child=child,
        message=message,
        requested_by=agent,
        requested_at=clock.now(),
    )
    audit.record(agent, "documents.request", claim, type=document_type.name, message=message)
    notify_household(
        household,
        _("A supporting document is requested"),
        _(
            "The service asks you for the document « %(what)s »: %(message)s\n"
            "Provide it in « Fournir mes nouveaux justificatifs @ »."
        )
        % {"what": _concerned_text(document_type, adult, child), "message": message},
        link=_link(),
        dedupe_key=f"claim:{claim.pk}",
    )
    return claim


def _is_latest(document: SupportingDocument) -> bool:
    return (
        not SupportingDocument.objects.filter(
            household=document.household_id,
            document_type=document.document_type_id,
            adult=document.adult_id,
            child=document.child_id,
            uploaded_at__gt=document.uploaded_at,
        )
        .exclude(status=SupportingDocument.Status.INVALID)
        .exists()
    )


def expire_documents(day: datetime.date) -> int:
    """Mark « périmé » every valid document whose validity ended before `day`. Idempotent."""
    count = 0
    due = SupportingDocument.objects.filter(
        status=SupportingDocument.Status.VALID, valid_until__lt=day
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            document = _locked(SupportingDocument(pk=pk))
            if document.status != SupportingDocument.Status.VALID:
                continue
            document.status = SupportingDocument.Status.EXPIRED
            document.save(update_fields=["status"])
            audit.record(None, "documents.expire", document, day=str(day))
            count += 1
            if _is_latest(document):
                _tell_family(
                    document,
                    "expired",
                    _("Supporting document expired"),
                    _(
                        "Your document « %(what)s » is no longer valid since %(date)s. "
                        "Please provide a new one."
                    ),
                )
    return count


def warn_expiring(day: datetime.date) -> int:
    """Warn the family DOCUMENTS_EXPIRY_WARNING_DAYS days before a document expires. Idempotent."""
    limit = day + datetime.timedelta(days=settings.DOCUMENTS_EXPIRY_WARNING_DAYS)
    due = SupportingDocument.objects.filter(
        status=SupportingDocument.Status.VALID,
        valid_until__gte=day,
        valid_until__lte=limit,
        expiry_warned_at=None,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            document = _locked(SupportingDocument(pk=pk))
            if document.expiry_warned_at is not None:
                continue
            document.expiry_warned_at = clock.now()
            document.save(update_fields=["expiry_warned_at"])
            if not _is_latest(document):
                continue  # the family already sent the next one
            _tell_family(
                document,
                "expiry-warning",
                _("Supporting document expiring soon"),
                _(
                    "Your document « %(what)s » is valid until %(date)s. Think of providing a "
                    "new one before then."
                ),
            )
            count += 1
    return count
