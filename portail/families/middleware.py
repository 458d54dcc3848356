from portail.families.models import Household


def household_of(user) -> Household | None:
    if not user.is_authenticated:
        return None
    # The request's user is read with its adult and household (accounts.backends): no query.
    if "adult" in user._state.fields_cache:
        adult = user._state.fields_cache["adult"]
        return adult.household if adult is not None else None
    return Household.objects.filter(adults__user=user).first()


class HouseholdMiddleware:
    """Sets `request.household`: the signed-in parent's household, or None.

    Every parent-side read and write is scoped through it (see `families.scoping`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.household = household_of(request.user)
        return self.get_response(request)
