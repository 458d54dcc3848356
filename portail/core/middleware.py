"""Middleware of the whole site: input no browser sends refused at the door (400), and response
headers that keep personal data out of caches and switch off unused browser features."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.gzip import GZipMiddleware

from portail.core import clock


def _personal(request, response) -> bool:
    """A signed-in person's page, or a download (receipt, certificate, export, calendar feed).

    A response a view declared `public` (the theme, the logo) is the same for everyone.
    """
    if "public" in response.get("Cache-Control", ""):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return response.has_header("Content-Disposition")


class PrivacyHeadersMiddleware:
    """`Cache-Control: no-store, private` on personal responses; `Permissions-Policy` on all.

    no-store also keeps a page out of the back/forward cache: after logging out, Back shows
    the login page instead of the balance.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _personal(request, response):
            response["Cache-Control"] = "no-store, private"
            response.headers.pop("Expires", None)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, the query string or a posted field is an attack: PostgreSQL refuses
    it in text (a server error later), and nobody can type one. Files are not inspected. The
    partner API (/api/) refuses control characters itself, in the JSON its contract documents."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and "\x00" not in request.path:
            return self.get_response(request)
        if "\x00" in request.path or _has_nul(request.GET):
            raise BadRequest("NUL byte in the URL")
        # Multipart (uploads) is left to the forms: parsing it here would fix the upload handlers
        # before the upload view sets its size cap.
        if request.content_type == "application/x-www-form-urlencoded" and _has_nul(request.POST):
            raise BadRequest("NUL byte in the form")
        return self.get_response(request)


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


class SessionRefreshMiddleware:
    """The idle timeout without a session write on every request.

    A session is stored with an expiry of SESSION_COOKIE_AGE (the idle timeout) from its last
    save. Instead of saving it on every request (SESSION_SAVE_EVERY_REQUEST), it is saved again
    only when the last save is older than SESSION_REFRESH_SECONDS: an idle session therefore
    ends between SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after its
    last request (never later), and an active one at most one write per few minutes.
    Placed just below SessionMiddleware, so that the save happens in its response phase.
    """

    KEY = "_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request read and that holds something (signed in, a form's data).
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(clock.now().timestamp())
        if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # marks it modified: SessionMiddleware saves it
        return response


class HtmlGZipMiddleware(GZipMiddleware):
    """Compressed pages (HTML), nothing else: a PDF, an image or an upload is already
    compressed, static files are served by WhiteNoise (above this middleware, precompressed at
    collectstatic), and the partner API's JSON keeps the exact bytes its contract documents.

    BREACH: Django's precautions hold here. The CSRF token in each form is masked with a new
    random value on every response (`get_token`), and GZipMiddleware pads the gzip header with
    random bytes (« Heal The Breach »), so that the compressed length does not reveal a secret.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
