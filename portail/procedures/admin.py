from django.contrib import admin

from portail.procedures.models import ServiceRequest, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "from_status", "to_status", "role", "actor", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    # Read-only: statuses change only through the services (the agents' back-office).
    list_display = ["reference", "kind", "status", "household", "contact_email", "submitted_at"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "household__name", "contact_email"]
    inlines = [StatusChangeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
