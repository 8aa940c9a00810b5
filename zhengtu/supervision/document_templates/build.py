"""Build the shipped Word (.docx) templates for docxtpl with python-docx.

Run after changing a layout here, then commit the generated files:

    .venv/bin/python zhengtu/supervision/document_templates/build.py

Each template uses the same placeholders as its HTML twin, so one context fills both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhengtu.documents.docx_templates import slim

HERE = Path(__file__).resolve().parent
FONT = "Noto Sans CJK SC"

PERSON_ROWS = [
    ("姓名", "{{ name }}"),
    ("性别", "{{ sex }}"),
    ("出生日期", "{{ birth_date }}"),
    ("矫正类别", "{{ sentence_type }}"),
    ("矫正期限", "{{ term_start }}至{{ term_end }}"),
]
STEP_LINES = [
    "{%p for step in steps %}",
    "{{ step.level }}（{{ step.organisation }}）：{{ step.decision }} {{ step.comment }}　{{ step.decided_by }}　{{ step.decided_on }}",
    "{%p endfor %}",
]


@dataclass
class Layout:
    filename: str
    title: str
    rows: list[tuple[str, str]]
    paragraphs: list[str] = field(default_factory=list)
    signature: str = "{{ bureau_name }}　{{ issued_on }}"


LAYOUTS = [
    Layout(
        "intake_announcement",
        "社区矫正宣告书",
        [
            *PERSON_ROWS,
            ("居住地", "{{ residence_address }}"),
            ("罪名", "{{ crime }}"),
            ("原判刑罚", "{{ original_sentence }}"),
            ("决定机关", "{{ deciding_organ }}（{{ judgment_number }}）"),
            ("禁止令", "{{ prohibition_order }}"),
            ("监管等级", "{{ supervision_level }}"),
            ("负责司法所", "{{ office_name }}"),
        ],
        [
            "社区矫正对象{{ name }}：根据《中华人民共和国社区矫正法》及其实施办法，自{{ term_start }}起依法对你实行社区矫正。",
            "一、社区矫正期限自{{ term_start }}起至{{ term_end }}止。",
            "二、社区矫正期间，你应当遵守法律、行政法规，履行法律文书确定的义务，遵守报告、会客、外出、迁居等监督管理规定，服从社区矫正机构的管理。",
            "三、你依法享有的人身权利、财产权利和其他权利不受侵犯，在就业、就学和享受社会保障等方面不受歧视。",
            "四、违反监督管理规定的，将视情节依法给予训诫、警告、提请治安管理处罚，或者依法提请撤销缓刑、撤销假释、收监执行。",
            "矫正小组成员：",
            "{%p for member in team %}",
            "{{ member.role }}：{{ member.name }}",
            "{%p endfor %}",
            "宣告地点：{{ announcement_place }}　　宣告日期：{{ announced_on }}",
        ],
        "{{ bureau_name }}　{{ organisation_name }}　{{ issued_on }}",
    ),
    Layout(
        "leave_approval",
        "社区矫正对象外出审批表",
        [
            *PERSON_ROWS,
            ("居住地", "{{ residence_address }}"),
            ("外出目的地", "{{ destination }}"),
            ("外出时间", "自{{ start_date }}至{{ end_date }}，共{{ days }}日"),
            ("外出事由", "{{ reason }}"),
            ("审批层级", "{{ routing_reason }}"),
            ("审批结果", "{{ outcome }}"),
        ],
        ["审批意见：", *STEP_LINES],
    ),
    Layout(
        "transfer_approval",
        "社区矫正对象变更执行地审批表",
        [
            *PERSON_ROWS,
            ("原执行地", "{{ from_office }}"),
            ("新执行地", "{{ to_office }}（{{ new_address }}）"),
            ("变更理由", "{{ reason }}"),
            ("审批结果", "{{ outcome }}"),
        ],
        ["审批意见：", *STEP_LINES],
    ),
    Layout(
        "monitoring_approval",
        "对社区矫正对象使用电子定位装置审批表",
        [
            *PERSON_ROWS,
            ("适用情形", "{{ situation }}（《中华人民共和国社区矫正法》第二十九条）"),
            ("事实", "{{ facts }}"),
            ("使用期限", "自{{ start_date }}至{{ end_date }}"),
        ],
        ["审批意见：", *STEP_LINES],
    ),
    Layout(
        "sanction_decision",
        "{% if sanction_kind == 'commendation' %}表扬决定书{% elif sanction_kind == 'admonition' %}训诫决定书"
        "{% elif sanction_kind == 'warning' %}警告决定书{% elif sanction_kind == 'police_penalty' %}提请治安管理处罚建议书"
        "{% elif sanction_kind == 'revocation' %}提请撤销缓刑（假释）建议书{% elif sanction_kind == 'sentence_reduction' %}"
        "提请减刑建议书{% elif sanction_kind == 'arrest' %}提请逮捕建议书{% elif sanction_kind == 'outside_revocation' %}"
        "提请撤销暂予监外执行建议书{% else %}提请收监执行建议书{% endif %}",
        [
            *PERSON_ROWS,
            ("罪名", "{{ crime }}"),
            ("负责司法所", "{{ office_name }}"),
            ("接收机关", "{{ receiving_organ }}"),
        ],
        [
            "经查：{{ facts_sentence }}",
            "依据：{{ legal_basis }}",
            "{% if sanction_kind == 'commendation' %}决定给予表扬。{% elif sanction_kind == 'admonition' %}决定给予训诫。"
            "{% elif sanction_kind == 'warning' %}决定给予警告。{% elif sanction_kind == 'police_penalty' %}"
            "提请公安机关依法给予治安管理处罚。{% elif sanction_kind == 'revocation' %}提请人民法院依法撤销缓刑（假释）。"
            "{% elif sanction_kind == 'sentence_reduction' %}提请依法裁定减刑。{% elif sanction_kind == 'arrest' %}"
            "提请依法决定予以逮捕。{% elif sanction_kind == 'outside_revocation' %}提请依法撤销暂予监外执行、收监执行。"
            "{% else %}提请依法收监执行。{% endif %}",
            "监管等级：{{ new_level }}",
            "审批意见：",
            *STEP_LINES,
        ],
    ),
    Layout(
        "permit_approval",
        "{{ form_title }}",
        [
            *PERSON_ROWS,
            ("居住地", "{{ residence_address }}"),
            ("禁止令内容", "{{ prohibition_order }}"),
            ("申请事项", "{{ kind_label }}"),
            ("地点、人员或医院", "{{ subject }}"),
            ("新居住地", "{{ new_address }}"),
            ("期限", "自{{ start_date }}至{{ end_date }}"),
            ("事由", "{{ reason }}"),
            ("审批层级", "{{ routing_reason }}"),
            ("审批结果", "{{ outcome }}"),
        ],
        ["审批意见：", *STEP_LINES],
    ),
    Layout(
        "release_announcement",
        "解除社区矫正宣告书",
        [*PERSON_ROWS, ("居住地", "{{ residence_address }}"), ("罪名", "{{ crime }}")],
        [
            "社区矫正期间，该社区矫正对象的表现情况：{{ appraisal }}",
            "根据《中华人民共和国社区矫正法》第四十四条的规定，{{ name }}{% if by_pardon %}经{{ pardon_decision }}予以赦免{% else %}社区矫正期满{% endif %}，现宣告自{{ released_on }}起解除社区矫正。",
            "宣告地点：{{ announcement_place }}",
        ],
    ),
    Layout(
        "release_certificate",
        "解除社区矫正证明书",
        [*PERSON_ROWS, ("负责司法所", "{{ office_name }}")],
        [
            "该社区矫正对象{% if by_pardon %}经{{ pardon_decision }}予以赦免{% else %}社区矫正期满{% endif %}，依法于{{ released_on }}解除社区矫正。",
            "特此证明。",
        ],
        "{{ bureau_name }}（公章）　{{ issued_on }}",
    ),
]


def _set_font(document: Any) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def build(layout: Layout) -> Path:
    document = Document()
    _set_font(document)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(layout.title)
    run.bold = True
    run.font.size = Pt(18)
    number = document.add_paragraph("{{ document_number }}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in layout.rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    for text in layout.paragraphs:
        document.add_paragraph(text)
    signature = document.add_paragraph(layout.signature)
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path = HERE / f"{layout.filename}.docx"
    document.save(str(path))
    slim(path)
    return path


if __name__ == "__main__":
    for layout in LAYOUTS:
        print(build(layout))  # noqa: T201
