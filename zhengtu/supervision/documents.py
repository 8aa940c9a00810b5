"""The legal documents (文书) of the supervision workflow and the values they are filled with.

Shipped defaults live in ``document_templates/`` (HTML for the PDF, .docx for the editable Word
version, built by ``document_templates/build.py``); administrators replace them by code on the
documents app's template page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhengtu.documents.registry import DocumentKind
from zhengtu.documents.services import chinese_date
from zhengtu.supervisees.models import Supervisee

TEMPLATES = Path(__file__).resolve().parent / "document_templates"

INTAKE_ANNOUNCEMENT = "supervision.intake_announcement"
LEAVE_APPROVAL = "supervision.leave_approval"
TRANSFER_APPROVAL = "supervision.transfer_approval"
MONITORING_APPROVAL = "supervision.monitoring_approval"
RELEASE_ANNOUNCEMENT = "supervision.release_announcement"
RELEASE_CERTIFICATE = "supervision.release_certificate"
SANCTION_DOCUMENTS = {
    "commendation": "supervision.commendation_decision",
    "admonition": "supervision.admonition_decision",
    "warning": "supervision.warning_decision",
    "police_penalty": "supervision.police_penalty_proposal",
    "revocation": "supervision.revocation_proposal",
    "return_to_prison": "supervision.return_to_prison_proposal",
    "sentence_reduction": "supervision.sentence_reduction_proposal",
    "arrest": "supervision.arrest_proposal",
    "outside_revocation": "supervision.outside_revocation_proposal",
}
PERMIT_DOCUMENTS = {
    "prohibited_place": "supervision.prohibited_place_approval",
    "prohibited_contact": "supervision.prohibited_contact_approval",
    "visitor": "supervision.visitor_approval",
    "residence_change": "supervision.residence_change_approval",
    "cross_city": "supervision.cross_city_approval",
    "medical_extension": "supervision.medical_extension_approval",
}


def _kind(
    code: str, title: Any, template: str, mark: str | None, *, execution: bool = True, work: bool = False
) -> DocumentKind:
    return DocumentKind(
        code=code,
        title=title,
        html_template=TEMPLATES / f"{template}.html",
        docx_template=TEMPLATES / f"{template}.docx",
        number_mark=mark,
        in_execution_archive=execution,
        in_work_archive=work,
    )


DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    _kind(INTAKE_ANNOUNCEMENT, _("Community correction announcement"), "intake_announcement", "宣", work=True),
    _kind(LEAVE_APPROVAL, _("Leave approval form"), "leave_approval", "假"),
    _kind(TRANSFER_APPROVAL, _("Transfer of place of execution approval form"), "transfer_approval", "变"),
    _kind(MONITORING_APPROVAL, _("Electronic monitoring approval form"), "monitoring_approval", "定"),
    _kind(SANCTION_DOCUMENTS["commendation"], _("Commendation decision"), "sanction_decision", "奖", work=True),
    _kind(SANCTION_DOCUMENTS["admonition"], _("Admonition decision"), "sanction_decision", "训", work=True),
    _kind(SANCTION_DOCUMENTS["warning"], _("Warning decision"), "sanction_decision", "警", work=True),
    _kind(SANCTION_DOCUMENTS["police_penalty"], _("Proposal for a police penalty"), "sanction_decision", "罚"),
    _kind(SANCTION_DOCUMENTS["revocation"], _("Proposal to revoke probation or parole"), "sanction_decision", "撤"),
    _kind(SANCTION_DOCUMENTS["return_to_prison"], _("Proposal for return to prison"), "sanction_decision", "收"),
    _kind(
        PERMIT_DOCUMENTS["prohibited_place"], _("Approval form: entering a specific place"), "permit_approval", "禁入"
    ),
    _kind(
        PERMIT_DOCUMENTS["prohibited_contact"],
        _("Approval form: contacting a specific person"),
        "permit_approval",
        "禁触",
    ),
    _kind(PERMIT_DOCUMENTS["visitor"], _("Approval form: meeting visitors"), "permit_approval", "会"),
    _kind(PERMIT_DOCUMENTS["residence_change"], _("Approval form: change of residence"), "permit_approval", "迁"),
    _kind(PERMIT_DOCUMENTS["cross_city"], _("Approval form: frequent cross-city activity"), "permit_approval", "跨"),
    _kind(PERMIT_DOCUMENTS["medical_extension"], _("Approval form: medical review extension"), "permit_approval", "复"),
    _kind(SANCTION_DOCUMENTS["sentence_reduction"], _("Proposal for sentence reduction"), "sanction_decision", "减"),
    _kind(SANCTION_DOCUMENTS["arrest"], _("Request for arrest"), "sanction_decision", "捕"),
    _kind(
        SANCTION_DOCUMENTS["outside_revocation"],
        _("Proposal to revoke temporary execution outside prison"),
        "sanction_decision",
        "监",
    ),
    _kind(RELEASE_ANNOUNCEMENT, _("Release announcement"), "release_announcement", "解宣", work=True),
    _kind(RELEASE_CERTIFICATE, _("Certificate of release from community correction"), "release_certificate", "解"),
)


def full_residence(supervisee: Supervisee) -> str:
    """The residence as documents print it: the administrative division, then the street address.

    The address is often typed without the division ("新华路12号"); when it already starts with the
    division's name it is not repeated.
    """
    address = supervisee.residence_address.strip()
    division = supervisee.residence_division
    if division is None:
        return address
    names = [name for name in (division.full_name, division.name) if name]
    if any(address.startswith(name) for name in names):
        return address
    return f"{names[0]}{address}" if names else address


_LEADING_DATE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?|^\s*\d{4}-\d{1,2}-\d{1,2}")


def facts_sentence(occurred_on: dt.date | None, facts: str) -> str:
    """ "经查：" followed by the date and the facts, without printing a date twice.

    Officers often begin the facts with the date themselves ("2026年12月1日，该对象……"); then the
    recorded date is not put in front again.
    """
    facts = facts.strip()
    if occurred_on is None or _LEADING_DATE.match(facts):
        return facts
    return f"{chinese_date(occurred_on)}，{facts}"


def supervisee_context(supervisee: Supervisee) -> dict[str, Any]:
    """The values every supervision document may use about the person (never the clear identity number)."""
    return {
        "name": supervisee.name,
        "sex": supervisee.get_sex_display(),
        "birth_date": chinese_date(supervisee.birth_date),
        "ethnicity": supervisee.ethnicity,
        "residence_address": full_residence(supervisee),
        "crime": supervisee.crime,
        "sentence_type": supervisee.get_sentence_type_display(),
        "original_sentence": supervisee.original_sentence,
        "prohibition_order": supervisee.prohibition_order,
        "deciding_organ": supervisee.deciding_organ,
        "judgment_number": supervisee.judgment_number,
        "term_start": chinese_date(supervisee.term_start),
        "term_end": chinese_date(supervisee.term_end),
        "supervision_level": supervisee.get_supervision_level_display(),
        "office_name": supervisee.responsible_office.name,
    }
