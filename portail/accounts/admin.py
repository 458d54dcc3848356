from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from portail.accounts.models import ClosureRequest, User

admin.site.register(User, UserAdmin)


@admin.register(ClosureRequest)
class ClosureRequestAdmin(admin.ModelAdmin):
    list_display = ["username", "household_name", "requested_at", "confirmed_at", "confirmed_by"]
    list_filter = ["confirmed_at"]
    search_fields = ["username", "household_name"]
    readonly_fields = ["user", "username", "household_name", "requested_at", "confirmed_by"]
