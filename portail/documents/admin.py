from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portail.documents.models import DocumentClaim, DocumentType, SupportingDocument


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "concerns",
        "validity_months",
        "each_school_year",
        "procedures",
        "active",
        "position",
    )
    list_editable = ("active", "position")
    list_filter = ("concerns", "active", "each_school_year")
    search_fields = ("name",)


@admin.register(SupportingDocument)
class SupportingDocumentAdmin(admin.ModelAdmin):
    list_display = ("document_type", "household", "status", "valid_until", "uploaded_at")
    list_filter = ("status", "document_type")
    search_fields = ("household__name", "original_name")
    exclude = ("file",)  # never a public URL: the file is reached through the agents' view
    readonly_fields = (
        "household",
        "document_type",
        "adult",
        "child",
        "download",
        "original_name",
        "content_type",
        "size",
        "status",
        "uploaded_at",
        "uploaded_by",
        "valid_until",
        "reason",
        "checked_at",
        "checked_by",
        "expiry_warned_at",
    )

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("documents_agent:review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request):
        return False


@admin.register(DocumentClaim)
class DocumentClaimAdmin(admin.ModelAdmin):
    list_display = ("document_type", "household", "requested_at", "closed_at")
    list_filter = ("document_type",)
    readonly_fields = ("answer",)
