"""Charts as inline SVG strings: domain scores (pages and PDF reports) and score history per person.

No plotting library: a few rectangles, lines and labels, escaped, sized in user units so that both
browsers and WeasyPrint draw them the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
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
    """The same bars as plain HTML blocks, for report templates written for them (`chart_html`).

    Styled by the template's classes `bars`, `bar-label`, `bar-track` and `bar` (document_templates/
    README.md lists the rules). Three boxes and two text runs per domain: in a PDF about twice the cost
    of `domain_bars_print`, which the shipped template uses.
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


# The PDF chart's own geometry, in points: it is one drawing, so its text size is fixed with it.
PRINT_FONT_SIZE = 10.0
PRINT_ROW = 17.0
PRINT_BAR_HEIGHT = 9.0
PRINT_MIN_LABEL = 82.0  # about 29 mm: seven Chinese characters and a gap
PRINT_MIN_BAR = 170.0  # about 60 mm
PRINT_GAP = 9.0


def _print_width(text: str) -> float:
    """Width of `text` at the chart's size, on the safe side: Chinese and full-width forms 1 em, the rest 0.6 em."""
    wide = sum(1 for character in text if unicodedata.east_asian_width(character) in "WF")
    return (wide + 0.6 * (len(text) - wide)) * PRINT_FONT_SIZE


def domain_bars_print(domains: Sequence[DomainScore]) -> str:
    """The domain chart for PDF reports: one line of text per domain over one drawing of the bars.

    WeasyPrint's cost is per box and per line of text, not per shape: the HTML bars (`domain_bars_html`,
    three boxes and two text runs per domain) were about a third of a report's PDF time, and SVG text
    costs more still. Here each domain is one block holding one line, "label<tab>…<tab>score level",
    whose tab stops put the score after the bars; the bars and the axis are rectangles of a single SVG
    drawn underneath (shapes cost next to nothing). The label column is as wide as the longest label, so
    no label runs into its bar. Self-contained: sizes and spacing are inline, the template styles nothing,
    and the text stays in the PDF's text layer in reading order, one domain per line.
    """
    if not domains:
        return ""
    label = max(PRINT_MIN_LABEL, math.ceil(max(_print_width(d.label) for d in domains) + PRINT_GAP))
    # Uniform tab stops (CSS has no other kind): the score goes to the first stop leaving room for the bars.
    stops = 1 + math.ceil((PRINT_MIN_BAR + PRINT_GAP) / label)
    track = stops * label - label - PRINT_GAP
    height = PRINT_ROW * len(domains)
    parts = [
        f'<div class="bars-print" style="white-space:pre;tab-size:{label:.0f}pt;font-size:{PRINT_FONT_SIZE:.0f}pt;'
        f'line-height:{PRINT_ROW:.0f}pt;margin:2pt 0 4pt">'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label + track:.0f}pt" height="{height:.0f}pt" '
        f'viewBox="0 0 {label + track:.0f} {height:.0f}" style="display:block;margin-bottom:-{height:.0f}pt">'
        f'<line x1="{label:.0f}" y1="0" x2="{label:.0f}" y2="{height:.0f}" stroke="#9aa5b1" stroke-width="0.75"/>'
    ]
    top = (PRINT_ROW - PRINT_BAR_HEIGHT) / 2
    for index, domain in enumerate(domains):
        rank = domain.level.rank if domain.level else 0
        colour = LEVEL_COLOURS[min(max(rank, 0), len(LEVEL_COLOURS) - 1)]
        length = max(track * max(0.0, min(domain.ratio, 1.0)), 0.75)
        parts.append(
            f'<rect x="{label:.0f}" y="{index * PRINT_ROW + top:.1f}" width="{length:.1f}" '
            f'height="{PRINT_BAR_HEIGHT:.0f}" fill="{colour}"/>'
        )
    parts.append("</svg>")
    tabs = "\t" * stops
    for domain in domains:
        value = score_text(domain) + (f" {domain.level.label}" if domain.level else "")
        parts.append(f"<div>{escape(domain.label)}{tabs}{escape(value)}</div>")
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
