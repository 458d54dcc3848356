"""The signed-in user of each request, read with what every page needs in one query.

Django's backends read the user alone; every page then asked for the household (menu, scoping)
and the user's groups (agent or cashier menu) in two more queries. Here the user comes with
their adult record and household (`select_related`) and whether they are an agent or a cashier
(`Exists`), and `HouseholdMiddleware` and `User.is_agent` use them.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef

from portail.accounts.models import AGENTS_GROUP, CASHIERS_GROUP, User

_FLAGS = {"_is_agents": AGENTS_GROUP, "_is_cashiers": CASHIERS_GROUP}


def user_for_request(user_id):
    memberships = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    user = (
        User._default_manager.select_related("adult__household")
        .annotate(
            **{flag: Exists(memberships.filter(group__name=name)) for flag, name in _FLAGS.items()}
        )
        .filter(pk=user_id)
        .first()
    )
    if user is not None:
        user.__dict__["_group_names"] = {
            name for flag, name in _FLAGS.items() if getattr(user, flag)
        }
    return user


class _RequestUser:
    def get_user(self, user_id):
        user = user_for_request(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_RequestUser, DjangoModelBackend):
    pass


class AuthenticationBackend(_RequestUser, AllauthBackend):
    pass
