"""The dashboard's SVG charts (core/charts.py): each bar's height is its figure on the axis'
scale, whatever the figures; the picture is named and described for screen readers."""

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from portail.core import charts

PLOT_HEIGHT = charts.HEIGHT - charts.TOP - charts.BOTTOM


def _bars(svg):
    return [
        (float(height), value)
        for height, value in re.findall(r'height="([\d.]+)" fill="#\w+" data-value="([^"]+)"', svg)
    ]


figures = st.lists(
    st.lists(st.integers(min_value=0, max_value=100_000), min_size=3, max_size=3),
    min_size=1,
    max_size=4,
)


@given(figures)
def test_each_bar_is_as_high_as_its_figure(rows):
    series = [charts.Series(f"S{i}", tuple(values)) for i, values in enumerate(rows)]
    svg = charts.bar_chart(
        chart_id="c", title="T", description="D", labels=["a", "b", "c"], series=series
    )
    bars = _bars(svg)
    values = [s.values[g] for g in range(3) for s in series]
    assert [int(v) for _h, v in bars] == values
    top = charts.nice_top(max(values))
    assert top >= max(values)
    for height, value in bars:
        assert abs(height - PLOT_HEIGHT * int(value) / top) < 0.01


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False))
def test_the_axis_top_is_a_round_figure_just_above_the_largest(value):
    top = charts.nice_top(value)
    assert top >= float(value)
    mantissa = top / 10 ** len(str(int(top))[1:]) if top >= 1 else None
    if value > 1:
        assert mantissa in (1, 2, 5, 10) and top < float(value) * 5 + 1


def test_money_bars_keep_their_cents_and_the_chart_is_named():
    svg = charts.bar_chart(
        chart_id="money",
        title="Crédits",
        description="Deux barres <par> mois",
        labels=["janv."],
        series=[charts.Series("Crédits", (Decimal("1234.50"),))],
        tick_format=lambda v: f"{v:.0f} €",
    )
    assert 'role="img"' in svg and 'aria-labelledby="money-title money-desc"' in svg
    assert '<title id="money-title">Crédits</title>' in svg
    assert "Deux barres &lt;par&gt; mois" in svg  # escaped
    assert 'data-value="1234.50"' in svg


def test_nothing_to_show_draws_flat_bars():
    svg = charts.bar_chart(
        chart_id="c", title="T", description="D", labels=["a"], series=[charts.Series("S", (0,))]
    )
    assert _bars(svg) == [(0.0, "0")]
