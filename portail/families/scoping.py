"""The one way to reach a family's objects: through the signed-in parent's household.

    child = get_for_household(Child, request.household, pk)

Another family's id (or no household at all) gives 404, never 403: ids are not revealed.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_for_household(model_or_qs, household, pk, household_field="household"):
    if household is None:
        raise Http404
    qs = model_or_qs._default_manager.all() if hasattr(model_or_qs, "_meta") else model_or_qs
    return get_object_or_404(qs, pk=pk, **{household_field: household})


def household_required(view):
    """Parent-only view: sign-in required, and the user must hold a household."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.household is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
