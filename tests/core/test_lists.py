"""The agents' list helper (core/lists.py): a page of 50, the total, whitelisted sorts, the
filters kept in every link, and an export of every filtered row (not only the page)."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory

from portail.core.lists import PAGE_SIZE, Listing, Sort
from portail.families.models import Household
from tests.factories import HouseholdFactory

SORTS = {"name": Sort("Nom", ("name",)), "city": Sort("Ville", ("city", "name"))}


def _listing(query="", rows=None, **kwargs):
    request = RequestFactory().get("/gestion/liste/" + (f"?{query}" if query else ""))
    rows = Household.objects.all() if rows is None else rows
    return Listing(request, rows, SORTS, default="name", **kwargs)


def _query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def households(db):
    # 123 households: three pages of 50, 50 and 23.
    return [
        HouseholdFactory(name=f"Famille {i:03d}", city="Viry" if i % 2 else "Annecy")
        for i in range(123)
    ]


def test_a_page_holds_50_rows_and_the_total_counts_them_all(households):
    first, last = _listing(), _listing("page=3")
    assert first.total == last.total == 123
    assert len(first.page) == PAGE_SIZE and len(last.page) == 23
    assert [h.name for h in first.page][:2] == ["Famille 000", "Famille 001"]
    assert [h.name for h in last.page][-1] == "Famille 122"


def test_pages_together_hold_every_row_once(households):
    seen = []
    for number in (1, 2, 3):
        seen += [h.pk for h in _listing(f"page={number}&sort=city").page]
    assert sorted(seen) == sorted(h.pk for h in households)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1" * 40])
def test_a_wrong_page_number_shows_a_page_instead_of_an_error(households, page):
    assert len(_listing(f"page={page}").page) > 0


def test_sort_by_a_column_and_backwards(households):
    by_city = _listing("sort=city")
    assert [h.city for h in by_city.page][:1] == ["Annecy"]
    backwards = _listing("sort=-name")
    assert backwards.page[0].name == "Famille 122"
    assert backwards.aria_sort("name") == "descending" and backwards.aria_sort("city") == ""


@pytest.mark.parametrize("sort", ["password", "-pk", "address_line1", "--name", "name;drop"])
def test_only_whitelisted_sort_keys_are_accepted(households, sort):
    listing = _listing(f"sort={sort}")
    assert listing.sort_key == "name" and not listing.descending
    assert listing.page[0].name == "Famille 000"


def test_links_keep_the_filters_and_the_sort(households):
    listing = _listing("city=Viry&sort=-city&page=2")
    assert _query(listing.next_url) == {"city": "Viry", "sort": "-city", "page": "3"}
    assert _query(listing.previous_url) == {"city": "Viry", "sort": "-city"}
    # Sorting again starts at page 1; clicking the current key turns it around.
    assert _query(listing.sort_url("city")) == {"city": "Viry", "sort": "city"}
    assert _query(listing.sort_url("name")) == {"city": "Viry", "sort": "name"}
    assert _query(listing.export_url) == {"city": "Viry", "sort": "-city", "export": "csv"}


def test_the_export_holds_every_filtered_row_in_the_list_order(households):
    rows = Household.objects.filter(city="Viry")
    listing = _listing("sort=-name&export=csv", rows=rows)
    assert listing.wants_export
    response = listing.csv("foyers.csv", [("Nom", lambda h: h.name), ("Ville", lambda h: h.city)])
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0] == ["Nom", "Ville"]
    exported = [name for name, _city in lines[1:]]
    assert len(exported) == listing.total == 61  # more than one page
    assert exported == sorted((h.name for h in households if h.city == "Viry"), reverse=True)


def test_exported_cells_are_french_and_never_formulas(db):
    import datetime
    from decimal import Decimal

    from portail.core.lists import cell_value

    assert cell_value(Decimal("-12.5")) == "-12,50"
    assert cell_value(datetime.date(2026, 9, 1)) == "01/09/2026"
    assert cell_value(True) == "oui" and cell_value(False) == "non"
    assert cell_value("=HYPERLINK()") == "'=HYPERLINK()"
    assert cell_value(None) == ""


def test_two_lists_on_one_page_page_separately(households):
    request = RequestFactory().get("/x/?page=2&f-page=3")
    main = Listing(request, Household.objects.all(), SORTS, "name")
    other = Listing(request, Household.objects.all(), SORTS, "name", prefix="f-")
    assert main.page.number == 2 and other.page.number == 3
    assert other.next_url == ""  # 123 rows: page 3 is the last
    assert _query(other.previous_url) == {"page": "2", "f-page": "2"}
