"""Server-rendered SVG bar charts, without JavaScript: grouped bars, one group per label
(a month), one bar per series (an activity; credits and consumption).

Accessible: the <svg> is role="img" named by its <title> and described by its <desc>; each
bar carries a <title> with its exact figure; the page shows the same figures in a table beside
the chart (the chart is a picture of that table, not its only form). Every bar's height is
proportional to its value (`data-value` keeps the figure, which the tests check)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 72, 8, 12, 28
# Dark enough against white (3:1 at least, WCAG 1.4.11) and told apart without colour by the
# legend's order and each bar's title.
PALETTE = ("#1f4e9c", "#b4420b", "#15713a", "#7e22ce", "#9f1239", "#0e7490")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple  # one per label, numbers (int or Decimal)


def nice_top(value) -> float:
    """The smallest 1, 2 or 5 × 10^k at least `value` (the top of the axis); 1 for nothing."""
    value = float(value)
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value:
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10  # pragma: no cover (the loop always returns)


def _number(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels,
    series,
    tick_format=str,
    value_format=None,
) -> str:
    """The SVG of a grouped bar chart. `tick_format` writes the axis' figures (a Decimal, e.g.
    « 1 200 € »); each bar's title is « series, label: figure » written by `value_format`
    (default: `tick_format`)."""
    value_format = value_format or tick_format
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_top(max((v for s in series for v in s.values), default=0))
    legend_h = 20 * len(series)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + legend_h}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i in range(5):  # horizontal grid and the axis' figures
        value = Decimal(repr(top)) * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(tick_format(value))}</text>"
        )
    group = plot_w / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    for g, label in enumerate(labels):
        x0 = LEFT + g * group + group * 0.1
        for s_index, s in enumerate(series):
            value = s.values[g]
            height = plot_h * float(value) / top
            x, y = x0 + s_index * bar, TOP + plot_h - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.2f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}" data-value="{_number(value)}">'
                f"<title>{escape(s.name)}, {escape(label)}\u00a0: {escape(value_format(value))}"
                "</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + group * 0.4:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for s_index, s in enumerate(series):  # the legend, below the plot
        y = HEIGHT + 20 * s_index
        parts.append(
            f'<rect x="{LEFT}" y="{y + 2}" width="12" height="12" '
            f'fill="{PALETTE[s_index % len(PALETTE)]}"/>'
            f'<text x="{LEFT + 18}" y="{y + 13}">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
