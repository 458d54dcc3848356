from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def _role_required(test):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


agent_required = _role_required(lambda user: user.is_agent)
cashier_required = _role_required(lambda user: user.is_cashier)
# Agents and the régie: pages about the portal's running (scheduled jobs).
staff_required = _role_required(lambda user: user.is_agent or user.is_cashier)
# The town's administrator (superuser): town-wide operations such as the import of the
# previous software's files.
admin_required = _role_required(lambda user: user.is_active and user.is_superuser)
