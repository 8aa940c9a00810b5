"""Written reports: rendered from replaceable templates (Word via docxtpl, PDF via WeasyPrint), numbered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.rendering import next_document_number, render_docx, render_pdf_file
from zhengtu.orgs.models import Organisation, OrganisationKind

from ..models import Assessment, AssessmentReport, AssessmentStatus, LevelOverride, OverrideStatus
from ..permissions import can_assess
from ..report_content import DOCX_TEMPLATE_CODE, PDF_TEMPLATE_CODE, report_context
from ..rules import report_number_prefix

TEMPLATE_FOLDER = Path(__file__).resolve().parent.parent / "document_templates"
DOCX_TEMPLATE = TEMPLATE_FOLDER / "report.docx"
PDF_TEMPLATE = TEMPLATE_FOLDER / "report.html"
NUMBER_KIND = "assessment_report"


# Reports are official documents in Chinese, whatever language the person issuing them reads.
REPORT_LANGUAGE = "zh-hans"


def render_report_docx(assessment: Assessment, **context_options: object) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        context = report_context(assessment, with_font=False, **context_options)  # type: ignore[arg-type]
        return render_docx(DOCX_TEMPLATE_CODE, DOCX_TEMPLATE, context, organisation=assessment.office)


def render_report_pdf(assessment: Assessment, **context_options: object) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        context = report_context(assessment, **context_options)  # type: ignore[arg-type]
        return render_pdf_file(PDF_TEMPLATE_CODE, PDF_TEMPLATE, context, organisation=assessment.office)


def render_report_files(assessment: Assessment, **context_options: object) -> tuple[bytes, bytes]:
    """Word and PDF of one report from one context: gathering it reads the person, the level change
    and the instrument's parsed definition, once for both files."""
    with translation.override(REPORT_LANGUAGE):
        context = report_context(assessment, **context_options)  # type: ignore[arg-type]
        docx = render_docx(
            DOCX_TEMPLATE_CODE, DOCX_TEMPLATE, {**context, "font_css": ""}, organisation=assessment.office
        )
        pdf = render_pdf_file(PDF_TEMPLATE_CODE, PDF_TEMPLATE, context, organisation=assessment.office)
    return docx, pdf


def _bureau_of(assessment: Assessment) -> Organisation:
    office = assessment.office
    return office.nearest({OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU}) or office


def _locked_issuable(assessment: Assessment) -> Assessment:
    """The assessment's row, locked, once checked that its report may be issued now.

    One query for the lock and both checks (a report already issued, a change of level waiting): it
    runs twice per report, before numbering and again before storing.
    """
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .annotate(
            already_issued=Exists(AssessmentReport.objects.filter(assessment=OuterRef("pk"))),
            change_waiting=Exists(
                LevelOverride.objects.filter(assessment=OuterRef("pk"), status=OverrideStatus.PENDING)
            ),
        )
        .get(pk=assessment.pk)
    )
    if locked.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("The questionnaire must be scored before the report is issued."))
    if locked.already_issued:
        raise ValidationError(_("The report has already been issued."))
    if locked.change_waiting:
        raise ValidationError(_("A change of level is waiting for approval; issue the report after the decision."))
    return locked


def issue_report(*, actor: Actor, assessment: Assessment, issued_at: dt.datetime | None = None) -> AssessmentReport:
    """Number the report, render Word and PDF, keep both. Refused while a change of level waits.

    Rendering (about 0.1 s a report) happens between two short transactions, not inside one: the number
    comes from the bureau's one counter row, and holding that lock (on SQLite, the whole database) while
    WeasyPrint works would let only one report in the county be rendered at a time. The price: when
    rendering fails, or another clerk issued the same report meanwhile, the number drawn stays unused (a
    gap in the year's numbers, as a voided paper form leaves).
    """
    user: User = acting_user(actor, allows=can_assess, refusal=_("You may not carry out assessments."))
    issued_at = issued_at or timezone.now()
    issued_on = timezone.localdate(issued_at)
    with transaction.atomic():
        _locked_issuable(assessment)
        # The office as loaded with the assessment (the one the report is rendered for).
        number = next_document_number(
            bureau=_bureau_of(assessment), kind=NUMBER_KIND, prefix=report_number_prefix(), year=issued_on.year
        )
    options = {"number": number, "issued_on": issued_on, "issued_by": user.display_name}
    docx, pdf = render_report_files(assessment, **options)
    with transaction.atomic():
        locked = _locked_issuable(assessment)
        report = AssessmentReport(
            assessment=locked, number=number, issued_at=issued_at, issued_on=issued_on, issued_by=user
        )
        stem = f"assessment-{locked.pk}-{issued_on:%Y%m%d}"
        report.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.save()
        record_event(
            actor,
            action=Action.CREATE,
            target=report,
            detail={"assessment": locked.pk, "number": number, "on_time": report.on_time},
        )
    return report
