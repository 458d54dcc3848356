from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

from portail.accounts.models import ClosureRequest, User


def permission_label(permission):
    """Django stores the default permissions' names in English (« Can delete booking »): the
    administrator reads them from the action and the model's French name instead."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    actions = {
        "add": _("Can add %(name)s"),
        "change": _("Can change %(name)s"),
        "delete": _("Can delete %(name)s"),
        "view": _("Can view %(name)s"),
    }
    if model is None or action not in actions or model_name != model._meta.model_name:
        return str(permission)
    label = actions[action] % {"name": model._meta.verbose_name}
    return f"{permission.content_type} | {label}"


class _FrenchPermissions:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            field.label_from_instance = permission_label
        return field


class FrenchUserAdmin(_FrenchPermissions, UserAdmin):
    pass


class FrenchGroupAdmin(_FrenchPermissions, GroupAdmin):
    pass


admin.site.register(User, FrenchUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, FrenchGroupAdmin)


@admin.register(ClosureRequest)
class ClosureRequestAdmin(admin.ModelAdmin):
    list_display = ["username", "household_name", "requested_at", "confirmed_at", "confirmed_by"]
    list_filter = ["confirmed_at"]
    search_fields = ["username", "household_name"]
    readonly_fields = ["user", "username", "household_name", "requested_at", "confirmed_by"]
