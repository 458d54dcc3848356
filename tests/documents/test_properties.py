import datetime
import unicodedata

from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portail.documents.models import DocumentType, add_months
from portail.documents.uploads import FORBIDDEN_CATEGORIES, clean_name

days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1))


@given(days, st.integers(min_value=1, max_value=36))
def test_validity_ends_within_the_months_after_the_start(start, months):
    end = DocumentType(validity_months=months).default_valid_until(start)
    assert start <= end < add_months(start, months)
    assert (end - start).days >= 28 * months - 1


@given(days)
def test_each_school_year_validity_ends_on_the_next_31_july(start):
    end = DocumentType(each_school_year=True).default_valid_until(start)
    assert (end.month, end.day) == (7, 31) and 0 <= (end - start).days < 366


@given(st.text(min_size=1, max_size=300))
def test_a_kept_file_name_never_carries_a_path_or_control_characters(name):
    try:
        kept = clean_name(name)
    except ValidationError as exc:
        assert exc.code == "name"
    else:
        assert kept and "/" not in kept and "\\" not in kept and kept not in (".", "..")
        assert not any(unicodedata.category(c) in FORBIDDEN_CATEGORIES for c in kept)
        assert len(kept) <= 150
