from django.http import Http404

from portail.procedures.kinds import UnknownProcedure


class UnknownProcedureMiddleware:
    """A procedure the catalogue does not have, wherever a view or its template asks for it, is
    a 404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UnknownProcedure):
            raise Http404 from exception
        return None
