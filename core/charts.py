"""Line and bar charts drawn on the server as inline SVG: no chart library, nothing fetched.

Each chart is an <svg role="img"> named by its <title> and described by its <desc>, with axis
labels and a <title> per point or bar (a tooltip, and read by screen readers that explore the
graphic). Chart.rows carries the same figures for a data table beside it, the fallback for
anyone the picture does not serve (templates/admin/analytics/_chart.html renders both).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56  # room for tick labels and axis titles
MAX_X_LABELS = 8
COLOUR = "#2563eb"
INK = "#374151"
GRID = "#d1d5db"


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    title: str
    x_label: str
    y_label: str
    rows: list[tuple[str, str]]  # (x label, formatted value), for the data table


def _format(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f} %"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nice_max(value: float) -> float:
    """A round axis top at or above value: 4 ticks of 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    step = value / 4
    magnitude = 10 ** math.floor(math.log10(step))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= step:
            return factor * magnitude * 4
    return value  # pragma: no cover - the loop always returns


def _frame(
    *, chart_id: str, title: str, desc: str, x_label: str, y_label: str, top: float, percent: bool
) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<g font-family="system-ui, sans-serif" font-size="12" fill="{INK}">',
    ]
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        label = _format(value, percent)
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" '
        f'font-weight="600">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text transform="translate(14 {TOP + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
        f'font-weight="600">{escape(y_label)}</text>'
    )
    return parts


def _x_label(parts: list[str], index: int, count: int, x: float, label: str) -> None:
    every = max(1, math.ceil(count / MAX_X_LABELS))
    if index % every == 0:
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )


def _chart(
    kind: str,
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_label: str,
    y_label: str,
    percent: bool,
) -> Chart:
    if len(labels) != len(values):
        raise ValueError("A chart needs one label per value.")
    top = 1.0 if percent else _nice_max(max(values, default=0))
    parts = _frame(
        chart_id=chart_id,
        title=title,
        desc=desc,
        x_label=x_label,
        y_label=y_label,
        top=top,
        percent=percent,
    )
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(values)
    if not count:
        parts.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" '
            'text-anchor="middle">No data yet</text>'
        )

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * min(value, top) / top

    if kind == "line" and count:
        step = plot_w / (count - 1) if count > 1 else 0
        points = [
            (LEFT + (step * i if count > 1 else plot_w / 2), y_of(v)) for i, v in enumerate(values)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{COLOUR}" stroke-width="2"/>')
        for i, ((x, y), label, value) in enumerate(zip(points, labels, values, strict=True)):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOUR}">'
                f"<title>{escape(label)}: {_format(value, percent)}</title></circle>"
            )
            _x_label(parts, i, count, x, label)
    elif kind == "bar" and count:
        slot = plot_w / count
        width = max(1.0, slot * 0.7)
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            x = LEFT + slot * i + (slot - width) / 2
            y = y_of(value)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{TOP + plot_h - y:.1f}" fill="{COLOUR}">'
                f"<title>{escape(label)}: {_format(value, percent)}</title></rect>"
            )
            _x_label(parts, i, count, x + width / 2, label)
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        f'stroke="{INK}"/>'
    )
    parts.append("</g></svg>")
    return Chart(
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above went through escape()
        title=title,
        x_label=x_label,
        y_label=y_label,
        rows=[
            (label, _format(value, percent)) for label, value in zip(labels, values, strict=True)
        ],
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_label: str,
    y_label: str,
    percent: bool = False,
) -> Chart:
    """A line through the values, in label order (e.g. enrolments per week).

    percent: values are shares from 0 to 1, shown as whole percents on a 0 to 100 % axis.
    """
    return _chart(
        "line",
        chart_id=chart_id,
        title=title,
        desc=desc,
        labels=labels,
        values=values,
        x_label=x_label,
        y_label=y_label,
        percent=percent,
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_label: str,
    y_label: str,
    percent: bool = False,
) -> Chart:
    """One bar per value (e.g. the share of learners who finished each lesson)."""
    return _chart(
        "bar",
        chart_id=chart_id,
        title=title,
        desc=desc,
        labels=labels,
        values=values,
        x_label=x_label,
        y_label=y_label,
        percent=percent,
    )
