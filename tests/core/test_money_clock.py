import datetime
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from portail.core import clock
from portail.core.money import format_eur, to_money


def test_money_refuses_float():
    with pytest.raises(TypeError):
        to_money(1.1)


def test_money_parses_french_comma_and_rounds_half_up():
    assert to_money("12,345") == Decimal("12.35")
    assert to_money("0.005") == Decimal("0.01")


def test_format_eur_french():
    assert format_eur(Decimal("1234.5")) == "1\u202f234,50\u00a0€"
    assert format_eur(Decimal("-3")) == "-3,00\u00a0€"


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=2))
def test_format_round_trip(amount):
    text = format_eur(amount).replace("\u202f", "").replace("\u00a0€", "")
    assert to_money(text) == amount


def test_today_is_paris_not_utc():
    # 23:30 UTC on 31 Dec is already 1 Jan in Paris.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)):
        assert clock.today() == datetime.date(2027, 1, 1)


def test_school_year():
    assert clock.school_year_of(datetime.date(2026, 11, 26)) == 2026
    assert clock.school_year_of(datetime.date(2027, 3, 1)) == 2026
