"""Charts as inline SVG strings: domain scores (pages and PDF reports) and score history per person.

No plotting library: a few rectangles, lines and labels, escaped, sized in user units so that both
browsers and WeasyPrint draw them the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

from .scoring import DomainScore

LEVEL_COLOURS = ("#1f7a4d", "#b26a00", "#b42318", "#7a0f0a")
INK = "#1f2933"
MUTED = "#616e7c"
LINE = "#d9e2ec"
SERIES_COLOURS = ("#1d4e89", "#b26a00", "#1f7a4d", "#b42318", "#6b3fa0", "#0f766e")
# Named on the chart itself: WeasyPrint does not pass the page's font to SVG text, and letting the
# system pick a fallback embeds a second, much larger CJK font in every PDF.
FONT_FAMILY = "Zhengtu Report SC, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def score_text(domain: DomainScore) -> str:
    """A domain's score as people read it: "33%" for percent domains, "2.5/5" otherwise."""
    if domain.method == "percent":
        return f"{domain.score:.0f}%"
    return f"{_number(domain.score)}/{_number(domain.maximum)}"


def domain_bars(domains: Sequence[DomainScore], *, width: int = 640) -> str:
    """Horizontal bars: each domain's share of its range, coloured by its level."""
    if not domains:
        return ""
    label_width, value_width, row_height, top = 150, 110, 24, 8
    bar_width = width - label_width - value_width
    height = top + row_height * len(domains) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-size="12" font-family="{FONT_FAMILY}">'
    ]
    # Quarter lines without labels: every text node costs a text layout in each PDF report.
    for tick in (0, 25, 50, 75, 100):
        x = label_width + bar_width * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" stroke="{LINE}"/>')
    for index, domain in enumerate(domains):
        y = top + index * row_height
        rank = domain.level.rank if domain.level else 0
        colour = LEVEL_COLOURS[min(max(rank, 0), len(LEVEL_COLOURS) - 1)]
        length = max(bar_width * max(0.0, min(domain.ratio, 1.0)), 1.0)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" fill="{INK}" text-anchor="end">{escape(domain.label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 9}" fill="{colour}"/>'
        )
        value = score_text(domain) + (f" {domain.level.label}" if domain.level else "")
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 16}" fill="{INK}">{escape(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def domain_bars_html(domains: Sequence[DomainScore]) -> str:
    """The same bars as plain HTML blocks, for PDF reports.

    WeasyPrint lays out every SVG text node on its own, which made the chart cost about a third of a
    one-page report; paragraphs with two coloured spans draw the same picture for a fraction of it.
    The report template styles the classes `bars`, `bar-label`, `bar-track` and `bar`.
    """
    parts = ['<div class="bars">']
    for domain in domains:
        rank = domain.level.rank if domain.level else 0
        colour = LEVEL_COLOURS[min(max(rank, 0), len(LEVEL_COLOURS) - 1)]
        share = max(0.0, min(domain.ratio, 1.0)) * 100
        value = score_text(domain) + (f" {domain.level.label}" if domain.level else "")
        parts.append(
            f'<p><span class="bar-label">{escape(domain.label)}</span><span class="bar-track">'
            f'<span class="bar" style="width:{share:.1f}%;background:{colour}"></span></span>{escape(value)}</p>'
        )
    parts.append("</div>")
    return "".join(parts)


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[dt.date, float]]


def score_history(series: Sequence[Series], *, width: int = 640, height: int = 220) -> str:
    """Total scores over time, one line per instrument."""
    points = [point for one in series for point in one.points]
    if not points:
        return ""
    left, right, top, bottom = 44, 16, 16, 48
    plot_width, plot_height = width - left - right, height - top - bottom
    first = min(day for day, _value in points)
    last = max(day for day, _value in points)
    span = max((last - first).days, 1)
    highest = max(max(value for _day, value in points), 1.0)

    def x_of(day: dt.date) -> float:
        if first == last:
            return left + plot_width / 2
        return left + plot_width * (day - first).days / span

    def y_of(value: float) -> float:
        return top + plot_height * (1 - value / highest)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-size="11" font-family="{FONT_FAMILY}">'
    ]
    for fraction in (0, 0.5, 1):
        y = y_of(highest * fraction)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{LINE}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" fill="{MUTED}" text-anchor="end">{_number(highest * fraction)}</text>'
        )
    parts.append(f'<text x="{left}" y="{height - 30}" fill="{MUTED}">{first.isoformat()}</text>')
    if last != first:
        parts.append(
            f'<text x="{width - right}" y="{height - 30}" fill="{MUTED}" text-anchor="end">{last.isoformat()}</text>'
        )
    legend_x = left
    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        ordered = sorted(one.points)
        coordinates = " ".join(f"{x_of(day):.1f},{y_of(value):.1f}" for day, value in ordered)
        if len(ordered) > 1:
            parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for day, value in ordered:
            parts.append(
                f'<circle cx="{x_of(day):.1f}" cy="{y_of(value):.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(one.label)} {day.isoformat()}: {_number(value)}</title></circle>"
            )
        parts.append(f'<rect x="{legend_x}" y="{height - 16}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{height - 7}" fill="{INK}">{escape(one.label)}</text>')
        legend_x += 24 + 12 * len(one.label)
    parts.append("</svg>")
    return "".join(parts)
