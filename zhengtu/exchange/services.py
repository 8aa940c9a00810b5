"""Import and export of exchange messages (README.md in this app describes the format).

Import: the file is parsed, validated against its JSON Schema, then applied through the owning app's
services inside one transaction; any error — of shape or of substance — is returned as a list of
Chinese messages naming the place in the file, and nothing is written. Export: one record as a
message that validates against the same schema. Every import and export is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.models import GeneratedDocument
from zhengtu.investigations.models import Investigation, InvestigationStatus
from zhengtu.investigations.services import add_commission_document, receive_commission
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervision.documents import INTAKE_ANNOUNCEMENT, RELEASE_CERTIFICATE, SANCTION_DOCUMENTS
from zhengtu.supervision.models import Sanction

from . import codes
from .schemas import BODIES, FORMAT, VERSION, schema_for

MAX_BYTES = 2 * 1024 * 1024
IMPORTS = ("investigation_commission", "intake_documents", "sanction_decision")
EXPORTS = ("investigation_result", "intake_notice", "release_notice", "sanction_request")


class ExchangeError(ValidationError):
    """A file that cannot be imported, with every problem found (Chinese, each naming its place)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class Imported:
    message_type: str
    target: Any


def gb7408_date(value: dt.date | None) -> str | None:
    """GB/T 7408 calendar date, extended format (YYYY-MM-DD)."""
    return value.isoformat() if value else None


def gb7408_datetime(value: dt.datetime) -> str:
    """GB/T 7408 date and time of day with the UTC offset, in China time (YYYY-MM-DDThh:mm:ss+08:00)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _where(error: SchemaError) -> str:
    path = "/".join(str(part) for part in error.absolute_path)
    return f"“{path}”" if path else "文件"


def _describe(error: SchemaError) -> str:
    """One schema error in Chinese."""
    where = _where(error)
    validator = error.validator
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else ""
        return f"{where}缺少必填字段“{missing}”。"
    if validator == "additionalProperties":
        return f"{where}含有格式中没有的字段：{error.message.split('(')[-1].rstrip(')')}。"
    if validator == "enum":
        allowed = "、".join(str(value) for value in error.validator_value)  # type: ignore[union-attr]
        return f"{where}的值“{error.instance}”不是允许的代码（允许：{allowed}）。"
    if validator == "const":
        return f"{where}应为“{error.validator_value}”。"
    if validator in ("format", "pattern") and "date" in json.dumps(error.schema):
        return f"{where}的值“{error.instance}”不是GB/T 7408日期（应为YYYY-MM-DD或带时区的日期时间）。"
    if validator == "pattern":
        return f"{where}的值“{error.instance}”格式不正确。"
    if validator == "type":
        names = {"string": "文本", "integer": "整数", "boolean": "是/否", "object": "对象", "array": "列表"}
        return f"{where}应为{names.get(str(error.validator_value), error.validator_value)}。"
    if validator in ("minLength", "minItems"):
        return f"{where}不能为空。"
    if validator in ("maxLength", "maximum", "minimum"):
        return f"{where}超出允许的范围（{validator} {error.validator_value}）。"
    return f"{where}：{error.message}"


def validate(message: Any, message_type: str | None = None) -> list[str]:
    """Every problem of a message against its schema, in Chinese; [] when it is valid."""
    if not isinstance(message, dict):
        return ["文件应为一个JSON对象。"]
    kind = message_type or message.get("message_type")
    if kind not in BODIES:
        return [f"未知的报文类型“{kind}”（可用：{'、'.join(BODIES)}）。"]
    validator = Draft202012Validator(schema_for(str(kind)), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(message), key=lambda e: [str(p) for p in e.absolute_path])
    # A date failing both its format and its pattern is one problem, said once.
    return list(dict.fromkeys(_describe(error) for error in errors))


def parse(content: bytes | str) -> Any:
    if isinstance(content, bytes):
        if len(content) > MAX_BYTES:
            raise ExchangeError(["文件超过2 MB。"])
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ExchangeError(["文件不是UTF-8编码的文本。"]) from error
    try:
        return json.loads(content)
    except json.JSONDecodeError as error:
        raise ExchangeError([f"不是有效的JSON：第{error.lineno}行第{error.colno}列，{error.msg}。"]) from error


def envelope(message_type: str, body: dict[str, Any], *, sender: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "message_type": message_type,
        "sent_at": gb7408_datetime(timezone.now()),
        "sender": {"name": sender},
        "body": body,
    }


# Imports ---------------------------------------------------------------------------------------------


def import_message(*, actor: Actor, content: bytes | str | dict[str, Any], office: Organisation | None = None
                   ) -> Imported:  # fmt: skip
    """Validate and apply one message; ExchangeError lists every problem and nothing is written."""
    acting_user(actor, Capability.IMPORT_SUPERVISEES)
    message = content if isinstance(content, dict) else parse(content)
    problems = validate(message)
    if problems:
        raise ExchangeError(problems)
    message_type = str(message["message_type"])
    if message_type not in IMPORTS:
        raise ExchangeError([f"“{message_type}”是本系统发出的报文，不能导入。"])
    body = message["body"]
    detail: dict[str, Any] = {"exchange": message_type}
    if body.get("documents"):
        # Which legal documents arrived (判决书, 执行通知书 ...): the record of what the court handed over.
        detail["documents"] = body["documents"][:50]
    try:
        with transaction.atomic():
            target = _IMPORTERS[message_type](actor, body, office)
            record_event(actor, action=Action.IMPORT, target=target, detail=detail)
    except ValidationError as error:
        if isinstance(error, ExchangeError):
            raise
        raise ExchangeError(_messages(error, FIELD_PLACES.get(message_type, {}))) from error
    return Imported(message_type, target)


# Where in the file each field of the services' errors came from, so a message names the place to correct.
FIELD_PLACES: dict[str, dict[str, str]] = {
    "investigation_commission": {
        "organ_kind": "body/organ/kind",
        "organ_name": "body/organ/name",
        "received_on": "body/commissioned_on",
        "person_name": "body/person/name",
        "identity_number": "body/person/identity_number",
        "sex": "body/person/sex",
        "birth_date": "body/person/birth_date",
        "residence_address": "body/person/residence_address",
        "proposed_sentence": "body/proposed_sentence_type",
    },
    "intake_documents": {
        "identity_number": "body/person/identity_number",
        "name": "body/person/name",
        "sex": "body/person/sex",
        "birth_date": "body/person/birth_date",
        "residence_address": "body/person/residence_address",
        "deciding_organ": "body/deciding_organ/name",
        "responsible_office": "office",
        "received_on": "body/documents",
    },
}


def _messages(error: ValidationError, places: dict[str, str] | None = None) -> list[str]:
    if hasattr(error, "error_dict"):
        problems: list[str] = []
        for field, messages in error.message_dict.items():
            place = "" if field == "__all__" else f"“{(places or {}).get(field, f'body/{field}')}”："
            problems.extend(f"{place}{message}" for message in messages)
        return problems
    return list(error.messages)


def _bureau_of(actor: Actor) -> Organisation:
    organisation = actor.user.organisation if actor.user else None
    bureau = organisation.nearest({OrganisationKind.COUNTY_BUREAU}) if organisation else None
    if bureau is None:
        raise ExchangeError(["只有县级社区矫正机构的账号可以导入此报文。"])
    return bureau


def _import_commission(actor: Actor, body: dict[str, Any], office: Organisation | None) -> Investigation:
    bureau = _bureau_of(actor)
    person = body["person"]
    if Investigation.objects.filter(bureau=bureau, commission_number=body["commission_number"]).exists():
        raise ExchangeError([f"委托函“{body['commission_number']}”已经导入过。"])
    investigation = receive_commission(
        actor=actor,
        bureau=bureau,
        organ_kind=codes.our_value("commissioning_organ", body["organ"]["kind"]),
        organ_name=body["organ"]["name"],
        commission_number=body["commission_number"],
        received_on=min(timezone.localdate(), dt.date.fromisoformat(body["commissioned_on"])),
        person_name=person["name"],
        person_type=codes.our_value("person_type", body["person_type"]),
        crime=body["crime"],
        proposed_sentence=codes.our_value("sentence_type", body["proposed_sentence_type"]),
        identity_number=person["identity_number"],
        sex={"1": "male", "2": "female"}.get(person.get("sex", ""), ""),
        birth_date=dt.date.fromisoformat(person["birth_date"]) if person.get("birth_date") else None,
        residence_address=person.get("residence_address", ""),
        urgent=bool(body.get("urgent", False)),
    )
    for document in body.get("documents", []):
        title = " ".join(
            part for part in (document["type"], document.get("number", ""), document.get("title", "")) if part
        )
        add_commission_document(investigation=investigation, title=title)
    return investigation


def _import_intake_documents(actor: Actor, body: dict[str, Any], office: Organisation | None) -> Supervisee:
    from zhengtu.supervisees.services import create_supervisee
    from zhengtu.supervision.services.intake import record_documents_received

    if office is None or office.kind != OrganisationKind.JUSTICE_OFFICE:
        raise ExchangeError(["请指定负责此人的司法所（参数office）。"])
    person = body["person"]
    supervisee = create_supervisee(
        actor=actor,
        identity_number=person["identity_number"],
        name=person["name"],
        residence_address=person.get("residence_address", ""),
        sentence_type=codes.our_value("sentence_type", body["sentence_type"]),
        crime=body["crime"],
        original_sentence=body.get("original_sentence", ""),
        prohibition_order=body.get("prohibition_order", ""),
        deciding_organ=body["deciding_organ"]["name"],
        judgment_number=body["judgment_number"],
        judgment_effective_date=dt.date.fromisoformat(body["judgment_effective_date"])
        if body.get("judgment_effective_date")
        else None,
        term_start=dt.date.fromisoformat(body["term_start"]),
        term_months=body["term_months"],
        responsible_office=office,
    )
    record_documents_received(actor=actor, supervisee=supervisee, received_on=timezone.localdate())
    return supervisee


def _import_sanction_decision(actor: Actor, body: dict[str, Any], office: Organisation | None) -> Sanction:
    from zhengtu.supervision.selectors import supervisees_visible_to
    from zhengtu.supervision.services.sanctions import record_request_decision

    assert actor.user is not None
    document = GeneratedDocument.objects.filter(
        number=body["request_document_number"],
        code__in=list(SANCTION_DOCUMENTS.values()),
        supervisee__in=supervisees_visible_to(actor.user).values("pk"),
    ).first()
    if document is None or document.supervisee is None:
        raise ExchangeError([f"找不到文号为“{body['request_document_number']}”的提请。"])
    kind = next(kind for kind, code in SANCTION_DOCUMENTS.items() if code == document.code)
    sanction = (
        Sanction.objects.filter(supervisee=document.supervisee, kind=kind, approval__status="approved")
        .order_by("-approval__decided_at")
        .first()
    )
    if sanction is None:
        raise ExchangeError([f"文号“{body['request_document_number']}”的提请尚未批准。"])
    return record_request_decision(
        actor=actor,
        sanction=sanction,
        decision_number=body["decision_number"],
        decided_on=dt.date.fromisoformat(body["decided_on"]),
        outcome=body["outcome"],
    )


_IMPORTERS = {
    "investigation_commission": _import_commission,
    "intake_documents": _import_intake_documents,
    "sanction_decision": _import_sanction_decision,
}


# Exports ---------------------------------------------------------------------------------------------


def _masked(name: str, masked: str) -> dict[str, str]:
    return {"name": name, "identity_number_masked": masked}


def _audited(actor: Actor, target: Any, message_type: str, message: dict[str, Any]) -> dict[str, Any]:
    problems = validate(message, message_type)
    if problems:  # a bug of ours, never the user's: fail loudly rather than send a bad file
        raise RuntimeError("; ".join(problems))
    record_event(actor, action=Action.EXPORT, target=target, detail={"exchange": message_type})
    return message


def export_investigation_result(*, actor: Actor, investigation: Investigation) -> dict[str, Any]:
    acting_user(actor, Capability.SUPERVISE)
    if investigation.status not in (InvestigationStatus.ANSWERED, InvestigationStatus.CONCLUDED):
        raise ValidationError("只有已审批反馈的调查评估可以导出意见。")
    body = {
        "commission_number": investigation.commission_number,
        "organ": {
            "kind": codes.national_code("commissioning_organ", investigation.organ_kind),
            "name": investigation.organ_name,
        },
        "person": _masked(investigation.person_name, investigation.identity_number_masked),
        "opinion": codes.national_code("investigation_opinion", investigation.opinion),
        "opinion_text": investigation.opinion_text,
        "home_circumstances": investigation.home_circumstances,
        "attitude": investigation.attitude,
        "interviews": [
            {
                "whom": str(interview.get_kind_display()),
                "person": interview.person,
                "held_on": gb7408_date(interview.held_on),
                "notes": interview.notes,
            }
            for interview in investigation.interviews.all()
        ],
        "answered_on": gb7408_date(investigation.answered_on),
        "document_number": investigation.document.number if investigation.document else "",
        "bureau": {
            "name": investigation.bureau.name,
            "office": investigation.office.name if investigation.office else "",
        },
    }
    message = envelope("investigation_result", body, sender=investigation.bureau.name)
    return _audited(actor, investigation, "investigation_result", message)


def _bureau_block(supervisee: Supervisee) -> dict[str, str]:
    office = supervisee.responsible_office
    bureau = office.nearest({OrganisationKind.COUNTY_BUREAU}) or office
    return {"name": bureau.name, "office": office.name}


def _document_number(supervisee: Supervisee, code: str) -> str:
    document = supervisee.documents.filter(code=code).order_by("-created_at").first()
    return document.number if document else ""


def export_intake_notice(*, actor: Actor, supervisee: Supervisee) -> dict[str, Any]:
    acting_user(actor, Capability.EXPORT_SUPERVISEES)
    file = getattr(supervisee, "supervision_file", None)
    if supervisee.status == Status.PENDING_INTAKE or file is None or file.reported_on is None:
        raise ValidationError("此人尚未入矫。")
    body = {
        "person": _masked(supervisee.name, supervisee.identity_number_masked),
        "sentence_type": codes.national_code("sentence_type", supervisee.sentence_type),
        "crime": supervisee.crime,
        "judgment_number": supervisee.judgment_number,
        "reported_on": gb7408_date(file.reported_on),
        "term_start": gb7408_date(supervisee.term_start),
        "term_end": gb7408_date(supervisee.term_end),
        "supervision_level": codes.national_code("supervision_level", supervisee.supervision_level),
        "bureau": _bureau_block(supervisee),
        "document_number": _document_number(supervisee, INTAKE_ANNOUNCEMENT),
    }
    message = envelope("intake_notice", body, sender=_bureau_block(supervisee)["name"])
    return _audited(actor, supervisee, "intake_notice", message)


def export_release_notice(*, actor: Actor, supervisee: Supervisee) -> dict[str, Any]:
    acting_user(actor, Capability.EXPORT_SUPERVISEES)
    release = getattr(supervisee, "release", None)
    termination = getattr(supervisee, "termination", None)
    if supervisee.status == Status.RELEASED and release is not None and release.released_on:
        kind, effective = ("pardon" if getattr(release, "by_pardon", False) else "released"), release.released_on
    elif supervisee.status == Status.TERMINATED and termination is not None:
        kind, effective = termination.reason, termination.effective_on
    else:
        raise ValidationError("此人尚未解除或终止矫正。")
    body = {
        "person": _masked(supervisee.name, supervisee.identity_number_masked),
        "sentence_type": codes.national_code("sentence_type", supervisee.sentence_type),
        "termination_type": codes.national_code("termination_type", kind),
        "effective_on": gb7408_date(effective),
        "bureau": _bureau_block(supervisee),
        "document_number": _document_number(supervisee, RELEASE_CERTIFICATE),
    }
    message = envelope("release_notice", body, sender=_bureau_block(supervisee)["name"])
    return _audited(actor, supervisee, "release_notice", message)


def export_sanction_request(*, actor: Actor, sanction: Sanction) -> dict[str, Any]:
    acting_user(actor, Capability.EXPORT_SUPERVISEES)
    if not sanction.receiving_organ or sanction.approval.status != "approved":
        raise ValidationError("只有已批准并发往其他机关的提请可以导出。")
    supervisee = sanction.supervisee
    body = {
        "kind": sanction.kind,
        "reward_punishment_code": codes.national_code("reward_punishment", sanction.kind),
        "person": _masked(supervisee.name, supervisee.identity_number_masked),
        "sentence_type": codes.national_code("sentence_type", supervisee.sentence_type),
        "receiving_organ": sanction.receiving_organ,
        "facts": sanction.facts,
        "sent_on": gb7408_date(sanction.sent_on),
        "document_number": _document_number(supervisee, SANCTION_DOCUMENTS[sanction.kind]),
        "bureau": _bureau_block(supervisee),
    }
    if body["sent_on"] is None:
        del body["sent_on"]
    message = envelope("sanction_request", body, sender=_bureau_block(supervisee)["name"])
    return _audited(actor, sanction, "sanction_request", message)
