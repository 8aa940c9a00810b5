"""Combining the experts' scoresheets into the panel score.

Each expert's total is on a 100-point scale: the points they gave divided by the points the rubric makes
available, times 100 (a rubric whose weights add up to 100 therefore scores as plain sums). Only submitted
scoresheets count. The panel score is the mean of the totals; the spread is the range (highest − lowest) or
the population standard deviation, as configured, and the panel is flagged for discussion when the spread
exceeds the configured number of points (see rules.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean, pstdev

from .models import Expert, IndicatorScore, ProjectInspection, RubricSection, RubricTemplate
from .rules import STDEV, rule

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def quantize(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ExpertTotal:
    expert: Expert
    total: Decimal
    submitted_at: dt.datetime | None


@dataclass(frozen=True)
class SectionScore:
    section: RubricSection
    weight: Decimal  # points available in the section
    mean_points: Decimal | None  # mean over the submitted scoresheets


@dataclass(frozen=True)
class PanelScore:
    totals: list[ExpertTotal] = field(default_factory=list)
    sections: list[SectionScore] = field(default_factory=list)
    mean: Decimal | None = None
    score_range: Decimal | None = None
    stdev: Decimal | None = None
    spread: Decimal | None = None
    measure: str = ""
    threshold: Decimal = Decimal(0)
    flagged: bool = False

    @property
    def count(self) -> int:
        return len(self.totals)


def combine(totals: Sequence[Decimal]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Mean, range and population standard deviation of the experts' totals (None without totals)."""
    if not totals:
        return None, None, None
    values = list(totals)
    return (
        quantize(Decimal(mean(values))),
        quantize(max(values) - min(values)),
        quantize(Decimal(pstdev(values))) if len(values) > 1 else Decimal("0.00"),
    )


def rubric_weights(rubric: RubricTemplate) -> tuple[list[RubricSection], dict[int, Decimal], Decimal]:
    """Sections in order, points available per section, and in the whole rubric."""
    sections = list(rubric.sections.prefetch_related("indicators").order_by("order", "pk"))
    per_section = {s.pk: sum((i.weight for i in s.indicators.all()), Decimal(0)) for s in sections}
    return sections, per_section, sum(per_section.values(), Decimal(0))


def panel_score(inspection: ProjectInspection) -> PanelScore:
    rubric = inspection.round.rubric
    sections, section_weights, available = rubric_weights(rubric)
    sheets = list(
        inspection.scoresheets.filter(submitted_at__isnull=False).select_related("expert").order_by("submitted_at")
    )
    points_by_sheet: dict[int, Decimal] = defaultdict(Decimal)
    section_points: dict[int, list[Decimal]] = defaultdict(list)
    per_sheet_section: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    scores = IndicatorScore.objects.filter(scoresheet__in=sheets).select_related("indicator")
    for score in scores:
        points_by_sheet[score.scoresheet_id] += score.points
        per_sheet_section[(score.scoresheet_id, score.indicator.section_id)] += score.points
    for sheet in sheets:
        for section in sections:
            section_points[section.pk].append(per_sheet_section[(sheet.pk, section.pk)])
    totals = [
        ExpertTotal(
            expert=sheet.expert,
            total=quantize(points_by_sheet[sheet.pk] / available * HUNDRED) if available else Decimal("0.00"),
            submitted_at=sheet.submitted_at,
        )
        for sheet in sheets
    ]
    average, value_range, stdev = combine([t.total for t in totals])
    measure = str(rule("inspection_spread_measure"))
    spread = stdev if measure == STDEV else value_range
    threshold = Decimal(str(rule("inspection_disagreement_points")))
    return PanelScore(
        totals=totals,
        sections=[
            SectionScore(
                section=section,
                weight=section_weights[section.pk],
                mean_points=quantize(Decimal(mean(section_points[section.pk]))) if sheets else None,
            )
            for section in sections
        ],
        mean=average,
        score_range=value_range,
        stdev=stdev,
        spread=spread,
        measure=measure,
        threshold=threshold,
        flagged=spread is not None and len(totals) > 1 and spread > threshold,
    )
