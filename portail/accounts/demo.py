from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portail.accounts.models import AGENTS_GROUP, CASHIERS_GROUP, User
from portail.core import clock
from portail.families.services import create_household_for_signup

# Fixed demo accounts, listed in the README and printed by `make run`.
DEMO_STAFF = [
    # username, password, e-mail, first name, last name, groups, superuser
    ("demo.agent", "DemoAgent1", "agent@demo.viry.test", "Nadia", "Agent", [AGENTS_GROUP], False),
    (
        "demo.regie",
        "DemoRegie1",
        "regie@demo.viry.test",
        "Rémi",
        "Régisseur",
        [CASHIERS_GROUP],
        False,
    ),
    ("demo.admin", "DemoAdmin1", "admin@demo.viry.test", "Anne", "Administratrice", [], True),
]


def ensure_user(username, password, email, first_name, last_name, *, groups=(), superuser=False):
    user, _created = User.objects.get_or_create(username=username)
    user.email = email
    user.first_name = first_name
    user.last_name = last_name
    user.is_superuser = superuser
    user.is_staff = superuser
    user.is_active = True
    user.set_password(password)
    user.save()
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def ensure_pending_signup():
    """A sign-up whose activation link was not followed yet: agents see « non activé » and can
    resend the mail (refreshed at each demo load so the daily purge leaves it for a day)."""
    user, created = User.objects.get_or_create(
        username="demo.nouveau",
        defaults={"email": "nouveau@demo.viry.test", "first_name": "Lucas", "last_name": "Roux"},
    )
    user.date_joined = clock.now()
    user.set_password("DemoNouveau1")
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": False, "primary": True}
    )
    if created:
        create_household_for_signup(
            user,
            first_name="Lucas",
            last_name="Roux",
            phone="06 22 33 44 55",
            address_line1="5 allée des Cerisiers",
            postcode="74580",
            city="Viry",
        )


def load(stdout):
    for group in (AGENTS_GROUP, CASHIERS_GROUP):
        Group.objects.get_or_create(name=group)
    for username, password, email, first, last, groups, superuser in DEMO_STAFF:
        ensure_user(username, password, email, first, last, groups=groups, superuser=superuser)
    ensure_pending_signup()
