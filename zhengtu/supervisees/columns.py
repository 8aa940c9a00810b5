"""The spreadsheet format of the registry: one list of columns for the import template, the
import itself and the export, so a file exported here can be read back elsewhere.

Headers are Chinese: the format is the one clerks already keep their rosters in. Each column
also answers to its field name (identity_number) and to a few headers seen in real rosters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import override

from .models import SentenceType, Sex, Status, SupervisionLevel


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per column
class Column:
    key: str  # keyword of create_supervisee
    header: str
    required: bool = False
    kind: str = "text"  # text, date, int, bool, choice, division, office
    choices: type[models.TextChoices] | None = None
    aliases: tuple[str, ...] = ()
    note: str = ""
    width: int = 14
    synonyms: dict[str, str] = field(default_factory=dict)


SENTENCE_SYNONYMS = {"管制": "control", "缓刑": "probation", "假释": "parole", "暂予监外执行": "outside_prison"}
SENTENCE_SYNONYMS |= {"监外执行": "outside_prison"}
LEVEL_SYNONYMS = {"严管": "strict", "普管": "standard", "宽管": "lenient", "严格管理": "strict"}
LEVEL_SYNONYMS |= {"普通管理": "standard", "宽松管理": "lenient"}
STATUS_SYNONYMS = {"待入矫": "pending_intake", "在矫": "under_supervision", "解矫": "released"}
STATUS_SYNONYMS |= {
    "解除矫正": "released",
    "终止矫正": "terminated",
    "终止": "terminated",
    "矫正中": "under_supervision",
}
SEX_SYNONYMS = {"男": "male", "女": "female"}

COLUMNS: list[Column] = [
    Column("name", "姓名", required=True, width=10),
    Column("former_names", "曾用名", width=10),
    Column(
        "identity_number",
        "身份证号",
        required=True,
        aliases=("公民身份号码", "身份证号码", "证件号码"),
        note="18位，末位可为X；请将本列设为文本格式",
        width=22,
    ),
    Column("sex", "性别", kind="choice", choices=Sex, synonyms=SEX_SYNONYMS, note="可不填，由身份证号得出；填写则核对"),
    Column("birth_date", "出生日期", kind="date", note="可不填，由身份证号得出；填写则核对"),
    Column("ethnicity", "民族", width=8),
    Column("education", "文化程度", width=10),
    Column("phone", "联系电话", aliases=("手机号码", "电话"), width=14),
    Column(
        "residence_division",
        "居住地区划代码",
        kind="division",
        aliases=("居住地行政区划",),
        note="6位县级代码（如431224）或12位乡镇代码，也可填全称（如湖南省怀化市溆浦县）",
    ),
    Column("residence_address", "居住地址", aliases=("居住地详细地址",), width=28),
    Column("household_division", "户籍地区划代码", kind="division", aliases=("户籍地行政区划",)),
    Column("household_address", "户籍地址", aliases=("户籍地详细地址",), width=28),
    Column("employment_status", "就业就学情况", aliases=("就业情况",)),
    Column("work_unit", "工作单位", width=20),
    Column("occupation", "职业", width=10),
    Column(
        "sentence_type",
        "矫正类别",
        required=True,
        kind="choice",
        choices=SentenceType,
        synonyms=SENTENCE_SYNONYMS,
        width=12,
    ),
    Column("crime", "罪名", required=True, width=14),
    Column("original_sentence", "原判刑罚", width=16),
    Column("prohibition_order", "禁止令内容", aliases=("禁止令",), width=20),
    Column("deciding_organ", "决定机关", required=True, aliases=("社区矫正决定机关",), width=18),
    Column("judgment_number", "判决书文号", aliases=("法律文书文号",), width=20),
    Column("judgment_effective_date", "判决生效日期", kind="date", note="如 2026-01-05"),
    Column("term_start", "矫正起始日期", required=True, kind="date", note="如 2026-01-05"),
    Column("term_months", "矫正期限（月）", required=True, kind="int", aliases=("矫正期限",), note="整数月"),
    Column("term_extra_days", "矫正期限（天）", kind="int", note="除整月外的天数，可不填"),
    Column("is_recidivist", "是否累犯", kind="bool", note="是/否"),
    Column(
        "supervision_level",
        "监管等级",
        kind="choice",
        choices=SupervisionLevel,
        synonyms=LEVEL_SYNONYMS,
        note="严管/普管/宽管，可不填（普管）",
    ),
    Column(
        "status",
        "矫正状态",
        kind="choice",
        choices=Status,
        synonyms=STATUS_SYNONYMS,
        note="待入矫/在矫/解矫/终止，可不填（待入矫）",
    ),
    Column(
        "responsible_office",
        "负责司法所",
        kind="office",
        aliases=("司法所", "负责机构"),
        note="机构名称或编号；不填则用导入时选择的默认机构",
        width=18,
    ),
    Column("notes", "备注", width=20),
]

COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}


def normalise_header(text: object) -> str:
    """Headers as clerks type them: spaces, asterisks and full-width brackets do not matter."""
    value = str(text or "").strip().replace("（", "(").replace("）", ")").replace("*", "").replace("＊", "")
    return re.sub(r"\s+", "", value).lower()


def header_lookup() -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (column.header, column.key, *column.aliases):
            lookup[normalise_header(name)] = column
    return lookup


def choice_lookup(column: Column) -> dict[str, str]:
    """Every way a choice may be written: code, English label, Chinese label, roster synonyms."""
    assert column.choices is not None
    lookup: dict[str, str] = {}
    for value, label in column.choices.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
        with override("zh-hans"):
            lookup[str(column.choices(value).label)] = value
    lookup.update(column.synonyms)
    return lookup


def choice_label(column: Column, value: Any) -> str:
    """How an export writes a choice: the Chinese label (read back by choice_lookup)."""
    assert column.choices is not None
    if not value:
        return ""
    with override("zh-hans"):
        return str(column.choices(value).label)
