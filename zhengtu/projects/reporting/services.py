"""Drafting, rendering and finalising reports. A finalised report is frozen as a numbered
version holding the rendered Word file and the figures JSON; reopening starts the next version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.documents.rendering import render_docx

from ..models import ProjectReport, ReportKind, ReportStatus, ReportVersion, ServiceProject
from ..selectors import can_manage_project
from .figures import annual_figures, monthly_figures
from .sections import paragraphs, sections_of

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "document_templates"
TEMPLATE_CODES = {
    ReportKind.ANNUAL: ("projects.annual_self_evaluation", TEMPLATES_DIR / "annual_self_evaluation.docx"),
    ReportKind.MONTHLY: ("projects.monthly_report", TEMPLATES_DIR / "monthly_report.docx"),
}
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_manager(actor: Actor, project: ServiceProject) -> None:
    if actor.user is None or not can_manage_project(actor.user, project):
        raise PermissionDenied


def default_title(project: ServiceProject, kind: str, period_start: dt.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if kind == ReportKind.ANNUAL:
            return _("%(project)s: performance self-evaluation report on the special funds") % {"project": project.name}
        return _("%(project)s: monthly report for %(month)s") % {
            "project": project.name,
            "month": formats.date_format(period_start, "YEAR_MONTH_FORMAT"),
        }


def default_narrative(kind: str) -> dict[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return {
            key: (pgettext("report section", "None.") if key == "other" else "")
            for key, _heading, _hint in sections_of(kind)
        }


@transaction.atomic
def create_report(
    *, actor: Actor, project: ServiceProject, kind: str, period_start: dt.date, period_end: dt.date
) -> ProjectReport:
    _require_manager(actor, project)
    errors: dict[str, str] = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("Unknown kind of report.")
    if period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    elif period_start < project.period_start or period_end > project.period_end:
        errors["period_start"] = _("The report's period must lie within the project's period.")
    if not errors and project.reports.filter(kind=kind, period_start=period_start, period_end=period_end).exists():
        errors["period_start"] = _("A report of this kind for this period already exists.")
    if errors:
        raise ValidationError(errors)
    report = ProjectReport.objects.create(
        project=project,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        title=default_title(project, kind, period_start),
        narrative=default_narrative(kind),
        created_by=actor.user,
    )
    record_event(actor, action=Action.CREATE, target=report)
    return report


@transaction.atomic
def save_narrative(*, actor: Actor, report: ProjectReport, title: str, narrative: dict[str, str]) -> ProjectReport:
    _require_manager(actor, report.project)
    report = ProjectReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("A finalised report cannot be edited; reopen it to write the next version."))
    if not title.strip():
        raise ValidationError({"title": _("Give the report a title.")})
    keys = [key for key, _heading, _hint in sections_of(report.kind)]
    report.title = title.strip()[:200]
    report.narrative = {key: str(narrative.get(key, report.narrative.get(key, ""))).strip() for key in keys}
    report.save(update_fields=["title", "narrative", "updated_at"])
    record_event(actor, action=Action.UPDATE, target=report, detail={"sections": keys})
    return report


def compute_figures(report: ProjectReport) -> dict[str, Any]:
    compute = annual_figures if report.kind == ReportKind.ANNUAL else monthly_figures
    return compute(report.project, report.period_start, report.period_end)


def render(report: ProjectReport, figures: dict[str, Any], *, title: str, narrative: dict[str, str]) -> bytes:
    code, default_path = TEMPLATE_CODES[ReportKind(report.kind)]
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "title": title,
            "figures": figures,
            "narrative": paragraphs(narrative, report.kind),
            "dated": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        }
        return render_docx(code, default_path, context, organisation=report.project.agency)


def render_draft(*, actor: Actor, report: ProjectReport) -> bytes:
    """The current draft with today's figures (downloaded to proofread; audited as an export)."""
    _require_manager(actor, report.project)
    content = render(report, compute_figures(report), title=report.title, narrative=report.narrative)
    record_event(actor, action=Action.EXPORT, target=report, detail={"draft": True})
    return content


@transaction.atomic
def finalise_report(*, actor: Actor, report: ProjectReport) -> ReportVersion:
    _require_manager(actor, report.project)
    report = ProjectReport.objects.select_for_update().select_related("project__agency").get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("This report is already finalised."))
    missing = [
        str(heading)
        for key, heading, _hint in sections_of(report.kind)
        if not str(report.narrative.get(key, "")).strip()
    ]
    if missing:
        raise ValidationError(
            _("Write these sections before finalising: %(sections)s") % {"sections": "、".join(missing)}
        )
    figures = compute_figures(report)
    content = render(report, figures, title=report.title, narrative=report.narrative)
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ReportVersion(
        report=report,
        number=number,
        title=report.title,
        figures=figures,
        narrative=dict(report.narrative),
        sha256=hashlib.sha256(content).hexdigest(),
        finalised_by=actor.user,
        finalised_at=timezone.now(),
    )
    version.file.save(f"report-{report.pk}-v{number}.docx", ContentFile(content), save=False)
    version.save()
    report.status = ReportStatus.FINAL
    report.save(update_fields=["status", "updated_at"])
    record_event(
        actor, action=Action.STATUS, target=report, detail={"finalised_version": number, "sha256": version.sha256}
    )
    return version


@transaction.atomic
def reopen_report(*, actor: Actor, report: ProjectReport) -> ProjectReport:
    _require_manager(actor, report.project)
    report = ProjectReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.FINAL:
        raise ValidationError(_("Only a finalised report can be reopened."))
    report.status = ReportStatus.DRAFT
    report.save(update_fields=["status", "updated_at"])
    record_event(actor, action=Action.STATUS, target=report, detail={"reopened": True})
    return report


def read_version(*, actor: Actor, version: ReportVersion) -> bytes:
    """The frozen file of a finalised version, exactly as it was; audited as an export."""
    with version.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != version.sha256:
        raise ValidationError(_("The stored file of this report no longer matches its fingerprint."))
    record_event(actor, action=Action.EXPORT, target=version.report, detail={"version": version.number})
    return content
