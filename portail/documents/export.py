"""The supporting documents' part of « Mes données » (the files themselves are listed, not
copied: each can be downloaded from « Fournir mes nouveaux justificatifs »)."""

from portail.documents.models import DocumentClaim, SupportingDocument


def export_household(household) -> dict:
    return {
        "documents": [
            {
                "type": d.document_type.name,
                "adult": str(d.adult) if d.adult_id else None,
                "child": str(d.child) if d.child_id else None,
                "file_name": d.original_name,
                "size": d.size,
                "state": d.get_status_display(),
                "uploaded_at": d.uploaded_at,
                "valid_until": d.valid_until,
                "reason": d.reason,
            }
            for d in SupportingDocument.objects.filter(household=household)
            .select_related("document_type", "adult", "child")
            .order_by("uploaded_at")
        ],
        "requests_from_the_service": [
            {"type": c.document_type.name, "message": c.message, "requested_at": c.requested_at}
            for c in DocumentClaim.objects.filter(household=household).select_related(
                "document_type"
            )
        ],
    }
