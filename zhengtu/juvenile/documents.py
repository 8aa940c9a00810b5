"""The service documents of a juvenile case and the values they are filled with.

GB/T 42380-2023 lists nine kinds of service document kept in each child's file (一人一档); the social
investigation report follows the 2020 procuratorial document samples. Shipped defaults are the HTML files in
``document_templates/``; administrators replace them by code on the documents app's template page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtu.documents.registry import DocumentKind
from zhengtu.documents.services import chinese_date

from .models import REPORT_SECTIONS, JuvenileCase, SocialInvestigation

TEMPLATES = Path(__file__).resolve().parent / "document_templates"

INVESTIGATION_REPORT = "juvenile.social_investigation_report"

# (code suffix, title, which records of the case it lists)
SERVICE_DOCUMENTS: tuple[tuple[str, Any], ...] = (
    ("registration", _("Case registration form")),  # 接案登记表
    ("consent", _("Informed consent form")),  # 知情同意书
    ("assessment", _("Needs assessment form")),  # 预估表
    ("plan", _("Service plan")),  # 服务计划书
    ("service_record", _("Service record")),  # 服务记录表
    ("evaluation", _("Evaluation form")),  # 评估表
    ("referral", _("Referral form")),  # 转介表
    ("closure", _("Case closure form")),  # 结案表
    ("follow_up", _("Follow-up record")),  # 跟进回访记录表
)

# Which stage's records each document lists (the other documents list none or all).
DOCUMENT_STAGES = {
    "assessment": ["assessment"],
    "plan": ["plan"],
    "service_record": ["service"],
    "evaluation": ["evaluation"],
    "closure": ["closed"],
    "follow_up": ["follow_up"],
    "registration": ["intake", "referred"],
}

DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    *(
        DocumentKind(
            code=f"juvenile.{suffix}",
            title=title,
            html_template=TEMPLATES / "service_document.html",
            docx_template=TEMPLATES / "service_document.docx",
            number_mark=None,
        )
        for suffix, title in SERVICE_DOCUMENTS
    ),
    DocumentKind(
        code=INVESTIGATION_REPORT,
        title=_("Social investigation report on a juvenile suspect"),
        html_template=TEMPLATES / "social_investigation_report.html",
        docx_template=TEMPLATES / "social_investigation_report.docx",
        number_mark=None,
    ),
)

SERVICE_DOCUMENT_CODES = [f"juvenile.{suffix}" for suffix, _title in SERVICE_DOCUMENTS]


def case_context(case: JuvenileCase, code: str) -> dict[str, Any]:
    suffix = code.removeprefix("juvenile.")
    stages = DOCUMENT_STAGES.get(suffix)
    records = case.records.all() if stages is None else case.records.filter(stage__in=stages)
    return {
        "case_number": case.number,
        "sealed": case.is_sealed,
        "service_type": case.get_service_type_display(),
        "stage": case.get_stage_display(),
        "child_name": case.child_name,
        "sex": case.get_sex_display(),
        "birth_date": chinese_date(case.birth_date),
        "age": case.age_on(timezone.localdate()),
        "school_or_work": case.school_or_work,
        "address": case.address,
        "summary": case.summary,
        "referrer": case.referrer_name or case.get_referrer_kind_display(),
        "referred_on": chinese_date(case.referred_on),
        "child_consent": case.child_consent,
        "guardian_consent": case.guardian_consent,
        "consent_recorded_on": chinese_date(case.consent_recorded_on),
        "guardians": [{"name": g.name, "relation": g.relation} for g in case.guardians.all()],
        "agency_name": case.agency.name if case.agency else "",
        "county_name": case.county.name,
        "closed_on": chinese_date(case.closed_on),
        "retain_until": chinese_date(case.retain_until),
        "records": [
            {"stage": r.get_stage_display(), "date": chinese_date(r.recorded_on), "content": r.content} for r in records
        ],
    }


def investigation_context(investigation: SocialInvestigation) -> dict[str, Any]:
    case = investigation.case
    return {
        **case_context(case, INVESTIGATION_REPORT),
        "requesting_organ": investigation.requesting_organ,
        "requested_on": chinese_date(investigation.requested_on),
        "sections": [{"title": str(title), "text": getattr(investigation, field)} for field, title in REPORT_SECTIONS],
        "interviews": [
            {
                "kind": i.get_informant_kind_display(),
                "name": i.informant_name,
                "date": chinese_date(i.held_on),
                "place": i.place,
            }
            for i in investigation.interviews.all()
        ],
        "investigator": investigation.investigator.display_name if investigation.investigator else "",
    }
