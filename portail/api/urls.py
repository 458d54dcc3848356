"""`/api/v1/`: the partner API (every call logged) and its documentation page."""

from functools import wraps

from django.urls import path

from portail.api import views
from portail.api.api import api
from portail.api.services import log_call
from portail.core.network import client_ip


def _logged(view):
    """Log the call (application, endpoint, status), whatever its outcome."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        status = 500
        try:
            response = view(request, *args, **kwargs)
            status = response.status_code
            return response
        finally:
            log_call(
                application=getattr(request, "api_application", None),
                method=request.method,
                path=request.path,
                status=status,
                client_ip=client_ip(request),
            )

    return wrapper


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    if _pattern.name not in ("openapi-json", "openapi-view", "api-root"):
        _pattern.callback = _logged(_pattern.callback)

urlpatterns = [
    path("docs/", views.documentation, name="api-docs"),
    *_patterns,
]
