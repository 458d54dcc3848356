from django.contrib import admin

from portail.core.models import AuditEvent, JobRun, TownSettings


@admin.register(TownSettings)
class TownSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not TownSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record written by the portal only (audit, job runs): shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__username"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """The history of every periodic job (the back-office page shows the last run of each)."""

    list_display = ["job", "started_at", "finished_at", "outcome", "exit_code", "trigger"]
    list_filter = ["job", "outcome", "trigger"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
