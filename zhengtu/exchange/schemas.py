"""JSON Schemas (draft 2020-12) of the exchange messages, written to ``schemas/*.schema.json``.

Regenerate the files after a change here (a test fails while they differ):

    .venv/bin/python -m zhengtu.exchange.schemas

Every message is an envelope (format, version, message_type, sent_at, sender) around a body. Dates are
GB/T 7408 calendar dates in the extended format (2026-12-07), times GB/T 7408 date-times with the UTC
offset (2026-12-07T09:30:00+08:00). Coded values are SF/T 0015 codes (``codes.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .codes import TABLES

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
FORMAT = "zhengtu-exchange"
VERSION = "1.0"

DATE: dict[str, Any] = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATE_TIME: dict[str, Any] = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
}
TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 200}
LONG_TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 5000}
IDENTITY: dict[str, Any] = {"type": "string", "pattern": r"^\d{17}[\dXx]$"}


def code(table: str) -> dict[str, Any]:
    entry = TABLES[table]
    return {"type": "string", "enum": entry.national_codes, "description": f"SF/T 0015 {entry.clause} {entry.title}"}


def obj(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


ORGAN = obj({"kind": code("deciding_organ"), "name": TEXT}, ["kind", "name"])
COMMISSIONING = obj({"kind": code("commissioning_organ"), "name": TEXT}, ["kind", "name"])
PERSON = obj(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 50},
        "identity_number": IDENTITY,
        "sex": {"type": "string", "enum": ["1", "2"], "description": "GB/T 2261.1: 1 男, 2 女"},
        "birth_date": DATE,
        "residence_address": {"type": "string", "maxLength": 200},
    },
    ["name", "identity_number"],
)
MASKED_PERSON = obj(
    {"name": TEXT, "identity_number_masked": {"type": "string", "maxLength": 18}}, ["name", "identity_number_masked"]
)
DOCUMENT = obj(
    {
        "type": {"type": "string", "enum": ["委托函", "起诉书", "判决书", "裁定书", "决定书", "执行通知书", "其他"]},
        "number": {"type": "string", "maxLength": 100},
        "date": DATE,
        "title": {"type": "string", "maxLength": 200},
    },
    ["type"],
)
BUREAU = obj({"name": TEXT, "office": {"type": "string", "maxLength": 100}}, ["name"])

BODIES: dict[str, tuple[str, dict[str, Any]]] = {
    "investigation_commission": (
        "调查评估委托（法院、检察院、公安、监狱 → 县级社区矫正机构）",
        obj(
            {
                "commission_number": TEXT,
                "commissioned_on": DATE,
                "urgent": {"type": "boolean"},
                "organ": COMMISSIONING,
                "person": PERSON,
                "person_type": code("person_type"),
                "crime": TEXT,
                "crime_type": code("crime_type"),
                "proposed_sentence_type": code("sentence_type"),
                "documents": {"type": "array", "items": DOCUMENT},
            },
            ["commission_number", "commissioned_on", "organ", "person", "person_type", "crime", "proposed_sentence_type"],
        ),
    ),
    "investigation_result": (
        "调查评估意见（县级社区矫正机构 → 委托机关）",
        obj(
            {
                "commission_number": TEXT,
                "organ": COMMISSIONING,
                "person": MASKED_PERSON,
                "opinion": code("investigation_opinion"),
                "opinion_text": LONG_TEXT,
                "home_circumstances": LONG_TEXT,
                "attitude": LONG_TEXT,
                "interviews": {
                    "type": "array",
                    "items": obj({"whom": TEXT, "person": TEXT, "held_on": DATE, "notes": LONG_TEXT}, ["whom", "held_on"]),
                },
                "answered_on": DATE,
                "document_number": TEXT,
                "bureau": BUREAU,
            },
            ["commission_number", "person", "opinion", "opinion_text", "answered_on", "document_number", "bureau"],
        ),
    ),
    "intake_documents": (
        "交付执行法律文书（判决书、裁定书、决定书、执行通知书：决定机关 → 县级社区矫正机构）",
        obj(
            {
                "person": PERSON,
                "sentence_type": code("sentence_type"),
                "crime": TEXT,
                "crime_type": code("crime_type"),
                "original_sentence": {"type": "string", "maxLength": 100},
                "prohibition_order": {"type": "string", "maxLength": 2000},
                "deciding_organ": ORGAN,
                "judgment_number": TEXT,
                "judgment_effective_date": DATE,
                "term_start": DATE,
                "term_months": {"type": "integer", "minimum": 1, "maximum": 600},
                "documents": {"type": "array", "minItems": 1, "items": DOCUMENT},
                "investigation_commission_number": {"type": "string", "maxLength": 200},
            },
            ["person", "sentence_type", "crime", "deciding_organ", "judgment_number", "term_start", "term_months",
             "documents"],
        ),
    ),
    "intake_notice": (
        "入矫通知（县级社区矫正机构 → 人民检察院、公安机关）",
        obj(
            {
                "person": MASKED_PERSON,
                "sentence_type": code("sentence_type"),
                "crime": TEXT,
                "judgment_number": {"type": "string", "maxLength": 100},
                "reported_on": DATE,
                "term_start": DATE,
                "term_end": DATE,
                "supervision_level": code("supervision_level"),
                "bureau": BUREAU,
                "document_number": {"type": "string", "maxLength": 100},
            },
            ["person", "sentence_type", "reported_on", "term_start", "term_end", "bureau"],
        ),
    ),
    "release_notice": (
        "解除（终止）矫正通知（县级社区矫正机构 → 人民检察院、公安机关）",
        obj(
            {
                "person": MASKED_PERSON,
                "sentence_type": code("sentence_type"),
                "termination_type": code("termination_type"),
                "effective_on": DATE,
                "bureau": BUREAU,
                "document_number": {"type": "string", "maxLength": 100},
            },
            ["person", "sentence_type", "termination_type", "effective_on", "bureau"],
        ),
    ),
    "sanction_request": (
        "提请（撤销缓刑、假释，收监执行，逮捕，减刑，治安管理处罚：县级社区矫正机构 → 法院、公安）",
        obj(
            {
                "kind": {"type": "string", "enum": ["police_penalty", "revocation", "return_to_prison",
                                                     "sentence_reduction", "arrest", "outside_revocation"]},
                "reward_punishment_code": code("reward_punishment"),
                "person": MASKED_PERSON,
                "sentence_type": code("sentence_type"),
                "receiving_organ": TEXT,
                "facts": LONG_TEXT,
                "sent_on": DATE,
                "document_number": TEXT,
                "bureau": BUREAU,
            },
            ["kind", "reward_punishment_code", "person", "receiving_organ", "facts", "document_number", "bureau"],
        ),
    ),
    "sanction_decision": (
        "提请的决定（法院、公安 → 县级社区矫正机构）",
        obj(
            {
                "request_document_number": TEXT,
                "decision_number": TEXT,
                "decided_on": DATE,
                "outcome": {"type": "string", "enum": ["granted", "refused"]},
                "organ": ORGAN,
            },
            ["request_document_number", "decision_number", "decided_on", "outcome"],
        ),
    ),
}  # fmt: skip

SENDER = obj({"organ_kind": {"type": "string", "maxLength": 20}, "name": TEXT}, ["name"])


def schema_for(message_type: str) -> dict[str, Any]:
    title, body = BODIES[message_type]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://zhengtu.example/exchange/{message_type}.schema.json",
        "title": title,
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "message_type": {"const": message_type},
            "sent_at": DATE_TIME,
            "sender": SENDER,
            "body": body,
        },
        "required": ["format", "version", "message_type", "sent_at", "sender", "body"],
        "additionalProperties": False,
    }


def schema_text(message_type: str) -> str:
    return json.dumps(schema_for(message_type), ensure_ascii=False, indent=2) + "\n"


def write_all() -> list[Path]:
    SCHEMA_DIR.mkdir(exist_ok=True)
    paths = []
    for message_type in BODIES:
        path = SCHEMA_DIR / f"{message_type}.schema.json"
        path.write_text(schema_text(message_type), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all():
        print(written)  # noqa: T201
