"""Parents' side: « Fournir mes nouveaux justificatifs @ », the upload page, the file view."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from portail.documents import selectors, services
from portail.documents.forms import UploadForm
from portail.documents.models import Concerns, DocumentType, SupportingDocument
from portail.documents.uploads import SizeCapUploadHandler, human_size, max_bytes
from portail.families.scoping import get_for_household, household_required


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@household_required
def provide(request):
    requirements = selectors.requirements_for(request.household)
    return render(
        request,
        "documents/provide.html",
        {
            # What an agent asked for first, then refused, expired, never sent.
            "to_provide": sorted(
                (r for r in requirements if r.needs_upload),
                key=lambda r: selectors.TO_PROVIDE.index(r.state),
            ),
            "others": [r for r in requirements if not r.needs_upload],
        },
    )


def _requirement(request, type_pk: int, concerns: str):
    """The requirement named in the URL, within the signed-in parent's household (else 404)."""
    household = request.household
    document_type = get_object_or_404(DocumentType, pk=type_pk, active=True)
    try:
        adult, child = selectors.concerns_from_key(household, concerns)
    except selectors.UnknownConcerned as exc:
        raise Http404 from exc
    expected = Concerns.ADULT if adult else Concerns.CHILD if child else Concerns.HOUSEHOLD
    if expected != document_type.concerns:
        raise Http404
    return selectors.requirement(household, document_type, adult=adult, child=child)


@csrf_exempt
def upload(request, type_pk, concerns):
    # The size cap must be in place before the body is read (CSRF reads it): see Django's
    # "Modifying upload handlers on the fly".
    request.upload_handlers.insert(0, SizeCapUploadHandler(request))
    return _upload(request, type_pk, concerns)


@csrf_protect
@household_required
def _upload(request, type_pk, concerns):
    requirement = _requirement(request, type_pk, concerns)
    if requirement is None:
        raise Http404
    back = safe_next(request, "")
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.upload_document(
                    household=request.household,
                    document_type=requirement.document_type,
                    file=form.cleaned_data["file"],
                    uploaded_by=request.user,
                    adult=requirement.adult,
                    child=requirement.child,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your document has been received. It is « not processed » until an "
                        "agent checks it."
                    ),
                )
                return redirect(back or "documents:provide")
    else:
        form = UploadForm()
    return render(
        request,
        "documents/upload.html",
        {
            "form": form,
            "requirement": requirement,
            "next": back,
            "max_size": human_size(max_bytes()),
        },
    )


def file_response(document: SupportingDocument, *, inline=False) -> FileResponse:
    """The stored file, as an attachment (or an inline image preview for agents)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@household_required
def file(request, pk):
    document = get_for_household(SupportingDocument, request.household, pk)
    return file_response(document)
