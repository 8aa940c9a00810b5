"""The per-project report and the round's summary report (seed 001's structure), as Word documents.

Figures — projects inspected, average, highest and lowest score, the city/county split — are computed from
the scoresheets, never typed. A project counts as inspected once at least one expert submitted a scoresheet;
the average is the mean of the panel scores of those projects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from statistics import mean
from typing import Any

from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.documents.rendering import render_docx
from zhengtu.orgs.models import OrganisationKind

from .models import FindingKind, InspectionRound, ProjectInspection, RectificationItem
from .scoring import PanelScore, panel_score, quantize

TEMPLATES = Path(__file__).resolve().parent / "document_templates"
PROJECT_REPORT = "inspections.project_report"
ROUND_SUMMARY = "inspections.round_summary"


def chinese_date(day: dt.date | None) -> str:
    if day is None:
        return ""
    return pgettext("inspections", "%(month)d/%(day)d/%(year)d") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def points_text(value: Decimal) -> str:
    """20.0 → "20", 7.5 → "7.5"."""
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


def _score_text(value: Decimal | None) -> str:
    return f"{value}" if value is not None else "—"


@dataclass(frozen=True)
class RoundFigures:
    projects_in_round: int
    projects_inspected: int
    average_score: Decimal | None
    highest_score: Decimal | None
    lowest_score: Decimal | None
    county_projects: int
    city_projects: int
    flagged: int


def round_scores(inspection_round: InspectionRound) -> list[tuple[ProjectInspection, PanelScore]]:
    inspections = inspection_round.inspections.select_related(
        "project", "project__agency", "project__buying_bureau", "panel", "round__rubric"
    ).order_by("project__name", "pk")
    return [(inspection, panel_score(inspection)) for inspection in inspections]


def round_figures(scores: list[tuple[ProjectInspection, PanelScore]]) -> RoundFigures:
    inspected = [(inspection, score) for inspection, score in scores if score.mean is not None]
    means = [score.mean for _inspection, score in inspected if score.mean is not None]
    kinds = [inspection.project.buying_bureau.kind for inspection, _score in inspected]
    return RoundFigures(
        projects_in_round=len(scores),
        projects_inspected=len(inspected),
        average_score=quantize(Decimal(mean(means))) if means else None,
        highest_score=max(means) if means else None,
        lowest_score=min(means) if means else None,
        county_projects=sum(1 for kind in kinds if kind == OrganisationKind.COUNTY_BUREAU),
        city_projects=sum(1 for kind in kinds if kind == OrganisationKind.CITY_BUREAU),
        flagged=sum(1 for _inspection, score in inspected if score.flagged),
    )


def round_summary_context(inspection_round: InspectionRound) -> dict[str, Any]:
    scores = round_scores(inspection_round)
    figures = round_figures(scores)
    inspected = [(inspection, score) for inspection, score in scores if score.mean is not None]
    breakdown = []
    if figures.county_projects:
        breakdown.append(
            pgettext("inspections", "%(count)d county-level projects") % {"count": figures.county_projects}
        )
    if figures.city_projects:
        breakdown.append(pgettext("inspections", "%(count)d city-level projects") % {"count": figures.city_projects})
    projects = []
    for number, (inspection, score) in enumerate(inspected, start=1):
        strengths = inspection.findings.filter(kind=FindingKind.STRENGTH).order_by("pk")
        projects.append(
            {
                "number": number,
                "name": inspection.project.name,
                "agency": inspection.project.agency.name,
                "bureau": inspection.project.buying_bureau.name,
                "score": _score_text(score.mean),
                "summary": paragraphs(inspection.summary),
                "strengths": [finding.text for finding in strengths],
            }
        )
    areas: dict[str, list[str]] = {}
    problems = (
        inspection_round.inspections.filter(findings__kind=FindingKind.PROBLEM)
        .values_list("project__name", "findings__section__title", "findings__text")
        .order_by("findings__section__order", "project__name", "findings__pk")
    )
    for project_name, area, text in problems:
        areas.setdefault(area or pgettext("inspections", "Other"), []).append(f"{project_name}：{text}")
    return {
        "title": inspection_round.title,
        "association": inspection_round.association.name,
        "basis": paragraphs(inspection_round.basis),
        "aims": paragraphs(inspection_round.aims),
        "content": paragraphs(inspection_round.content),
        "overall": paragraphs(inspection_round.overall_picture),
        "starts_on": chinese_date(inspection_round.starts_on),
        "ends_on": chinese_date(inspection_round.ends_on),
        "project_names": "、".join(inspection.project.name for inspection, _score in inspected),
        "projects_inspected": figures.projects_inspected,
        "level_breakdown": "、".join(breakdown),
        "average_score": _score_text(figures.average_score) if figures.average_score is not None else "",
        "highest_score": _score_text(figures.highest_score),
        "lowest_score": _score_text(figures.lowest_score),
        "projects": projects,
        "common_problems": paragraphs(inspection_round.common_problems),
        "problems_by_area": [
            {"number": number, "title": title, "problems": entries}
            for number, (title, entries) in enumerate(areas.items(), start=1)
        ],
        "recommendations": paragraphs(inspection_round.recommendations),
        "date": chinese_date(timezone.localdate()),
    }


def project_report_context(inspection: ProjectInspection) -> dict[str, Any]:
    project = inspection.project
    score = panel_score(inspection)
    members = inspection.panel.members.select_related("expert").order_by("-is_leader", "pk") if inspection.panel else []
    problems = inspection.findings.filter(kind=FindingKind.PROBLEM).select_related("section").order_by("pk")
    items = RectificationItem.objects.filter(inspection=inspection).select_related("owner").order_by("due_on", "pk")
    return {
        "association": inspection.round.association.name,
        "round_title": inspection.round.title,
        "project": project.name,
        "agency": project.agency.name,
        "buying_bureau": project.buying_bureau.name,
        "period": pgettext("inspections", "%(start)s to %(end)s")
        % {"start": chinese_date(project.period_start), "end": chinese_date(project.period_end)},
        "contract_amount": f"{project.contract_amount:,.2f}",
        "visit_on": chinese_date(inspection.visit_on),
        "members": [
            {
                "name": m.expert.name,
                "leader": m.is_leader,
                "specialty": m.expert.get_specialty_display(),
                "title": m.expert.title,
                "employer": m.expert.employer_name,
            }
            for m in members
        ],
        "activities": [
            {
                "date": chinese_date(activity.occurred_on),
                "kind": activity.get_kind_display(),
                "participants": activity.participants,
                "notes": activity.notes,
            }
            for activity in inspection.activities.order_by("occurred_on", "pk")
        ],
        "expert_count": score.count,
        "panel_score": _score_text(score.mean),
        "score_range": _score_text(score.score_range),
        "flagged": score.flagged,
        "sections": [
            {"title": s.section.title, "weight": points_text(s.weight), "mean": _score_text(s.mean_points)}
            for s in score.sections
        ],
        "summary": paragraphs(inspection.summary),
        "strengths": [f.text for f in inspection.findings.filter(kind=FindingKind.STRENGTH).order_by("pk")],
        "problems": [
            {
                "number": number,
                "area": finding.section.title if finding.section else "",
                "text": finding.text,
                "recommendation": finding.recommendation,
            }
            for number, finding in enumerate(problems, start=1)
        ],
        "rectifications": [
            {
                "description": item.description,
                "owner": item.owner.display_name if item.owner else "",
                "due_on": chinese_date(item.due_on),
                "status": item.get_status_display(),
            }
            for item in items
        ],
        "date": chinese_date(timezone.localdate()),
    }


def render_round_summary(inspection_round: InspectionRound) -> bytes:
    return render_docx(
        ROUND_SUMMARY,
        TEMPLATES / "round_summary.docx",
        round_summary_context(inspection_round),
        organisation=inspection_round.association,
    )


def render_project_report(inspection: ProjectInspection) -> bytes:
    return render_docx(
        PROJECT_REPORT,
        TEMPLATES / "project_report.docx",
        project_report_context(inspection),
        organisation=inspection.round.association,
    )
