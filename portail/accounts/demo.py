from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portail.accounts.models import AGENTS_GROUP, CASHIERS_GROUP, User
from portail.core import clock
from portail.families.models import Adult
from portail.families.services import create_household_for_signup, link_account

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

# The parents with an account: username, password, and their adult in families' demo.
DEMO_PARENTS = [("demo.parent", "DemoParent1", "Famille Martin", "Claire", "Martin")]


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


def ensure_parents():
    """The demo parents' accounts, linked to their adult of families' demo (loaded before)."""
    for username, password, household, first, last in DEMO_PARENTS:
        adult = Adult.objects.get(household__name=household, first_name=first, last_name=last)
        user = ensure_user(username, password, adult.email, first, last)
        if adult.user_id != user.pk:
            link_account(adult, user)


def load(stdout):
    for group in (AGENTS_GROUP, CASHIERS_GROUP):
        Group.objects.get_or_create(name=group)
    for username, password, email, first, last, groups, superuser in DEMO_STAFF:
        ensure_user(username, password, email, first, last, groups=groups, superuser=superuser)
    ensure_parents()
    ensure_pending_signup()
