"""Response headers that keep personal data out of caches and switch off unused browser features."""

from django.conf import settings


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
