from django.contrib import admin

from portail.agenda import models


class PriceBracketInline(admin.TabularInline):
    model = models.PriceBracket
    extra = 0


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "start_time", "end_time", "price", "capacity"]
    list_filter = ["school", "kind"]
    inlines = [PriceBracketInline]


@admin.register(models.ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ["date", "school", "reason", "source"]
    list_filter = ["source", "school"]
    date_hierarchy = "date"


@admin.register(models.AbsenceReason)
class AbsenceReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "charge_ratio", "active", "position"]


@admin.register(models.Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["date", "child", "activity", "status"]
    list_filter = ["status", "activity__school"]
    raw_id_fields = ["child"]
    date_hierarchy = "date"


@admin.register(models.Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["date", "child", "activity", "state", "absence_reason", "billed"]
    list_filter = ["state", "billed", "activity__school"]
    raw_id_fields = ["child"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        # Billed attendance is locked: billing has already charged it.
        if obj is not None and obj.billed:
            return [f.name for f in obj._meta.fields]
        return ["billed"]


@admin.register(models.SchoolMove)
class SchoolMoveAdmin(admin.ModelAdmin):
    """Read-only: a move is made by an agent's « Changement d'école » (services.change_school)."""

    list_display = ["effective", "child", "from_school", "to_school", "refunds", "created_by"]
    list_filter = ["to_school"]
    raw_id_fields = ["child"]
    date_hierarchy = "effective"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
