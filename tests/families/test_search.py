"""The agents' household search (issue 13, item 1): any name, accents and case ignored, an
e-mail, a phone number written any way; one table scanned, kept true after every write."""

import pytest

from portail.families import search
from portail.families.models import Contact, Household
from portail.families.selectors import search_hits, search_households
from portail.families.services import forget_account, import_adults, refresh_search_keys
from tests.factories import AdultFactory, ChildFactory, HouseholdFactory, UserFactory


@pytest.fixture
def martin(db):
    household = HouseholdFactory(name="Famille Martin")
    AdultFactory(
        household=household,
        first_name="Claire",
        last_name="Martin",
        email="claire.martin@example.test",
        phone="06 12 34 56 78",
    )
    ChildFactory(household=household, first_name="Léa", last_name="Martin")
    return household


@pytest.fixture
def other(db):
    household = HouseholdFactory(name="Famille Dubois")
    AdultFactory(household=household, first_name="Hugo", last_name="Dubois", phone="0798765432")
    return household


@pytest.mark.parametrize(
    "query",
    [
        "lea",
        "LÉA",
        "Léa",
        "claire",
        "CLAIRE MARTIN",
        "claire.martin@example.test",
        "Claire.Martin@EXAMPLE.test",
        "0612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "34 56",
    ],
)
def test_the_search_finds_the_family_by_any_name_mail_or_phone(martin, other, query):
    assert list(search_households(query)) == [martin]


def test_an_empty_or_unknown_query_finds_nothing(martin):
    assert list(search_households("")) == []
    assert list(search_households("   ")) == []
    assert list(search_households("zoé")) == []


def test_the_results_say_what_matched(martin, other):
    hits, total = search_hits("lea")
    assert total == 1 and hits[0].household == martin
    assert hits[0].matched == ["Léa Martin"]
    hits, _total = search_hits("06.12.34.56.78")
    assert hits[0].matched == ["06 12 34 56 78"]


def test_a_match_never_spans_two_people(martin):
    # « martin claire » is not anyone's name: parts are joined by « | ».
    assert not search_households("martin lea martin").exists()


def test_the_key_follows_a_change_a_contact_and_a_closed_account(martin):
    adult = martin.adults.get()
    adult.phone = "0700000000"
    adult.save()
    assert not search_households("0612345678").exists()
    assert search_households("07 00 00 00 00").get() == martin
    Contact.objects.create(household=martin, channel="email", value="bureau@exemple.fr")
    assert search_households("bureau@exemple.fr").get() == martin
    user = UserFactory()
    adult.user = user
    adult.email = "claire@exemple.fr"
    adult.save()
    forget_account(user)
    assert not search_households("claire@exemple.fr").exists()


def test_bulk_imports_keep_the_key(martin):
    import_adults(
        [{"household": martin, "first_name": "Étienne", "last_name": "Noël", "phone": ""}], []
    )
    assert search_households("etienne noel").get() == martin


def test_refresh_rebuilds_a_lost_key(martin):
    Household.objects.filter(pk=martin.pk).update(search_key="")
    refresh_search_keys([martin.pk])
    assert search_households("lea").get() == martin


def test_folding_rules():
    assert search.fold("Léa-Marie  O'Neil") == "lea marie o neil"
    assert search.fold("Œdipe") == "oedipe"
    assert search.phone_digits("+33 6 12 34 56 78") == "0612345678"
    assert search.is_phone_query("06.12") and not search.is_phone_query("D-2026-000001")
