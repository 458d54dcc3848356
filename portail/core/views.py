from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
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
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


# --- Error pages (DEBUG=0). 403 and 404 use Django's views with 403.html and 404.html. ---------


def bad_request(request, exception=None):
    """400, or 413 when the body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE or has too many
    fields (Django raises these as a « suspicious operation », a 400)."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return render(request, "413.html", status=413)
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """The form's security token is missing or stale (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    """500 without the request's context processors: one cached read of the town at most, and
    a page without the town when the database is what failed."""
    try:
        town = TownSettings.current()
    except Exception:  # noqa: BLE001 - the error page must render whatever broke
        town = None
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return HttpResponseServerError(render_to_string("500.html", {"town": town}))
    except Exception:  # noqa: BLE001 - e.g. static files' manifest missing: plain page
        return HttpResponseServerError(_PLAIN_500, content_type="text/html; charset=utf-8")


_PLAIN_500 = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur du serveur</title>'
    "</head><body><main><h1>Une erreur s'est produite</h1><p>Réessayez dans quelques instants."
    '</p><p><a href="/">Retour à l’accueil</a></p></main></body></html>'
)


def favicon(request):
    """/favicon.ico, asked by browsers where no <link rel="icon"> is (PDFs, JSON). The static
    name is resolved here, not at import: the manifest exists only after collectstatic."""
    return redirect(static("core/favicon.svg"))
