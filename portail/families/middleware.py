from portail.families.models import Household


def household_of(user) -> Household | None:
    if not user.is_authenticated:
        return None
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
