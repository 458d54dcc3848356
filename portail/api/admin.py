from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.api import services
from portail.api.models import ApiCall, PartnerApplication, Scope
from portail.billing.admin import ReadOnlyAdmin


class PartnerApplicationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PartnerApplication
        fields = ["name", "contact", "scopes", "expires_at", "rate_limit"]


def _show_token(request, application, token):
    messages.warning(
        request,
        _(
            "Token of « %(name)s », shown only this once: copy it now into the partner's "
            "software. %(token)s"
        )
        % {"name": application.name, "token": token},
    )


@admin.register(PartnerApplication)
class PartnerApplicationAdmin(admin.ModelAdmin):
    form = PartnerApplicationForm
    list_display = ["name", "token_prefix", "scopes", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["token_prefix", "created_at", "revoked_at", "last_used_at"]
    actions = ["renew_tokens", "revoke_tokens"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.scopes = sorted(set(obj.scopes))
            super().save_model(request, obj, form, change)
            return
        application, token = services.create_application(
            name=obj.name,
            contact=obj.contact,
            scopes=obj.scopes,
            expires_at=obj.expires_at,
            rate_limit=obj.rate_limit,
            actor=request.user,
        )
        obj.pk = application.pk
        _show_token(request, application, token)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the call log keeps naming the application

    @admin.action(description=gettext_lazy("Make a new token (the old one stops working)"))
    def renew_tokens(self, request, queryset):
        for application in queryset:
            _show_token(request, application, services.renew_token(application, request.user))

    @admin.action(description=gettext_lazy("Revoke the token"))
    def revoke_tokens(self, request, queryset):
        for application in queryset:
            services.revoke(application, request.user)
        messages.success(request, _("Tokens revoked."))


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ["at", "application", "method", "path", "status", "client_ip"]
    list_filter = ["application", "status", "method"]
    search_fields = ["path"]
