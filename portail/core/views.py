from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portail.core.models import TownSettings


@require_GET
@cache_control(max_age=300, public=True)
def theme_css(request):
    """The town's colours as CSS custom properties (a stylesheet, so no inline style is needed)."""
    css = render_to_string("core/theme.css", {"town": TownSettings.current()})
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_GET
@cache_control(max_age=3600, public=True)
def logo(request):
    town = TownSettings.current()
    if not town.logo:
        raise Http404
    return FileResponse(town.logo.open("rb"))


@require_GET
def healthz(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
