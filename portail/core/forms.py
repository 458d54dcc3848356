from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form with the portal's field template (labels, « * », errors, help)."""

    form_template_name = "django/forms/div.html"
    field_template_name = "core/field.html"
