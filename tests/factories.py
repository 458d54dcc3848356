"""Factories of the family model, shared by every app's tests."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portail.accounts.models import AGENTS_GROUP, CASHIERS_GROUP, User
from portail.families.models import Adult, AuthorizedPickup, Child, Household, School

PASSWORD = "Secret-Pass-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Parent{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def _member_of(group: str):
    """A factory's `groups`: the created user joins `group`."""

    def groups(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get_or_create(name=group)[0])

    return factory.PostGeneration(groups)


class AgentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"agent{n}")
    groups = _member_of(AGENTS_GROUP)


class CashierFactory(UserFactory):
    username = factory.Sequence(lambda n: f"regie{n}")
    groups = _member_of(CASHIERS_GROUP)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"École {n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Famille {n}")
    address_line1 = "1 rue de la Paix"
    postcode = "74580"
    city = "Viry"


class AdultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adult

    household = factory.SubFactory(HouseholdFactory)
    first_name = "Camille"
    last_name = factory.LazyAttribute(lambda a: a.household.name.split()[-1])
    relationship = Adult.Relationship.MOTHER


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    household = factory.SubFactory(HouseholdFactory)
    first_name = factory.Sequence(lambda n: f"Enfant{n}")
    last_name = "Martin"
    birth_date = datetime.date(2018, 5, 4)
    school = factory.SubFactory(SchoolFactory)
    level = Child.Level.CE1


class PickupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorizedPickup

    child = factory.SubFactory(ChildFactory)
    first_name = "Jeanne"
    last_name = "Durand"
    relationship = "Grand-mère"
    phone = "0601020304"


def credit(household, amount="100.00"):
    """Credit the household's prepaid account (a card top-up): a family must have credit before
    it books (FAQ §5)."""
    from portail.billing.services import post_entry

    return post_entry(household, amount, "Paiement en ligne par carte bancaire", "card")


def make_parent(username=None, credit_amount=None, **child_kwargs):
    """A parent account with its household and one child: (user, household, child). With
    `credit_amount`, its prepaid account is credited (to book)."""
    user = UserFactory(**({"username": username} if username else {}))
    household = HouseholdFactory()
    AdultFactory(
        household=household, user=user, first_name=user.first_name, last_name=user.last_name
    )
    child = ChildFactory(household=household, **child_kwargs)
    if credit_amount is not None:
        credit(household, credit_amount)
    return user, household, child
