"""Input no browser sends: refused at the door with a 400, before any view or query sees it."""

from django.core.exceptions import BadRequest


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, the query string or a posted field is an attack: PostgreSQL refuses
    it in text (a server error later), and nobody can type one. Files are not inspected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
