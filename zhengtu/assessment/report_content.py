"""What an assessment report says, as one context for both the Word and the PDF template.

Templates are replaceable by code (zhengtu.documents): an administrator's template receives the
same names, listed in docs of the shipped templates (document_templates/README.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from zhengtu.supervisees.models import SentenceType, Sex, SupervisionLevel

from .charts import domain_bars, domain_bars_html, domain_bars_print, score_text
from .models import Assessment, InstrumentKind, OverrideStatus
from .report_font import FAMILY, report_font_css

DOCX_TEMPLATE_CODE = "assessment.report"
PDF_TEMPLATE_CODE = "assessment.report"
BAR_CELLS = 20


def _text_bar(ratio: float) -> str:
    filled = round(max(0.0, min(ratio, 1.0)) * BAR_CELLS)
    return "█" * filled + "░" * (BAR_CELLS - filled)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _label(choices: type[Any], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def report_context(
    assessment: Assessment,
    *,
    number: str = "",
    issued_on: dt.date | None = None,
    issued_by: str = "",
    with_font: bool = True,
) -> dict[str, Any]:
    result = assessment.score_result
    definition = assessment.definition
    version = assessment.instrument_version
    supervisee = assessment.supervisee
    kind = version.instrument.kind
    domains = result.domains if result else []
    approved = assessment.overrides.filter(status=OverrideStatus.APPROVED).order_by("-decided_at").first()
    level_rows = definition.levels_for(definition.level_target)
    final_row = next((row for row in level_rows if row.level == assessment.level), None)
    titles: dict[str, str] = {
        InstrumentKind.RISK_NEEDS.value: _("Initial assessment report"),
        InstrumentKind.PSYCHOLOGICAL.value: _("Psychological test and assessment report"),
    }
    title = titles.get(kind, _("Assessment report"))
    metrics = []
    if result is not None:
        metrics.append({"label": _("Total score"), "value": _number(result.total)})
        if kind == InstrumentKind.PSYCHOLOGICAL and len(domains) > 1:
            metrics.append({"label": _("Mean score"), "value": _number(result.mean)})
        if result.positive_items is not None:
            metrics.append({"label": _("Positive items"), "value": str(result.positive_items)})
            metrics.append({"label": _("Positive symptom mean"), "value": _number(result.positive_mean)})
    return {
        "title": title,
        "number": number,
        "organisation": assessment.office.name,
        "name": supervisee.name,
        "sex": _label(Sex, supervisee.sex),
        "age": _age(supervisee.birth_date, assessment.received_on),
        "sentence_type": _label(SentenceType, supervisee.sentence_type),
        "crime": supervisee.crime,
        "term": f"{supervisee.term_start.isoformat()} — {supervisee.term_end.isoformat()}",
        "current_supervision_level": _label(SupervisionLevel, supervisee.supervision_level),
        "instrument": f"{version.title}（{_('version')} {version.version}）",
        "is_example": version.is_example,
        "example_warning": _("Example instrument: its items and cut-offs must be calibrated locally.")
        if version.is_example
        else "",
        "placeholder_warning": _("The item texts of this version are placeholders.")
        if version.has_placeholder_texts
        else "",
        "is_risk_needs": kind == InstrumentKind.RISK_NEEDS,
        "received_on": assessment.received_on.isoformat(),
        "due_on": assessment.due_on.isoformat() if assessment.due_on else "",
        "due_is_approximate": assessment.due_is_approximate,
        "issued_on": issued_on.isoformat() if issued_on else "",
        "assessor": assessment.assessor.display_name if assessment.assessor else "",
        "issued_by": issued_by,
        "level": assessment.level_label or _("Not graded"),
        "computed_level": result.level.label if result and result.level else "",
        "overridden": approved is not None,
        "override_reason": approved.reason if approved else "",
        "override_approver": approved.decided_by.display_name if approved and approved.decided_by else "",
        "recommended_supervision_level": _label(SupervisionLevel, assessment.recommended_supervision_level)
        if assessment.recommended_supervision_level
        else "",
        "measures": final_row.measures if final_row else "",
        "metrics": metrics,
        "domains": [
            {
                "label": d.label,
                "group": {"static": _("Static"), "dynamic": _("Dynamic")}.get(d.group, ""),
                "group_code": d.group,
                "score": score_text(d),
                "percent": f"{d.ratio * 100:.0f}%",
                "level": d.level.label if d.level else "",
                "bar": _text_bar(d.ratio),
            }
            for d in domains
        ],
        "needs": [
            {"priority": n.priority, "label": n.label, "level": n.level_label, "measures": n.measures}
            for n in (result.needs if result else [])
        ],
        "critical": [
            {"label": c.label, "answer": c.value_label, "message": c.message}
            for c in (result.critical if result else [])
        ],
        "chart_svg": mark_safe(domain_bars(domains)) if len(domains) > 1 else "",  # noqa: S308 - built from escaped parts
        "chart_html": mark_safe(domain_bars_html(domains)) if len(domains) > 1 else "",  # noqa: S308 - escaped parts
        "chart_pdf": mark_safe(domain_bars_print(domains)) if len(domains) > 1 else "",  # noqa: S308 - escaped parts
        "font_css": mark_safe(report_font_css()) if with_font else "",  # noqa: S308 - our own constant CSS
        "font_family": FAMILY,
    }
