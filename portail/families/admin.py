from django.contrib import admin

from portail.families import models


class ContactInline(admin.TabularInline):
    model = models.Contact
    extra = 0


class AdultInline(admin.TabularInline):
    model = models.Adult
    extra = 0
    raw_id_fields = ["user"]


class ChildInline(admin.TabularInline):
    model = models.Child
    extra = 0
    show_change_link = True


@admin.register(models.Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "created_at"]
    search_fields = ["name", "adults__last_name", "children__last_name", "adults__email"]
    inlines = [AdultInline, ContactInline, ChildInline]


class PickupInline(admin.TabularInline):
    model = models.AuthorizedPickup
    extra = 0


@admin.register(models.Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "birth_date", "school", "level"]
    list_filter = ["school", "level"]
    search_fields = ["last_name", "first_name"]
    inlines = [PickupInline]


admin.site.register(models.School)
