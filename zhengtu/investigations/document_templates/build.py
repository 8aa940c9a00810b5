"""Build the shipped Word (.docx) template of the 调查评估意见书 for docxtpl with python-docx.

Run after changing the layout here, then commit the generated file:

    .venv/bin/python zhengtu/investigations/document_templates/build.py

The placeholders are those of the HTML twin (`services.opinion_context` with the base context), so one
context fills both and the bureau can send back whichever the commissioning organ asks for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from zhengtu.documents.docx_templates import slim
from zhengtu.supervision.document_templates.build import _set_font

HERE = Path(__file__).resolve().parent

PERSON_ROWS = [
    ("姓名", "{{ person_name }}"),
    ("性别", "{{ sex }}"),
    ("出生日期", "{{ birth_date }}"),
    ("身份证号", "{{ identity_number_masked }}"),
    ("居住地", "{{ residence_address }}"),
    ("涉嫌（所犯）罪名", "{{ crime }}"),
    ("拟适用", "{{ proposed_sentence }}"),
]


def _indented(document: Any, text: str) -> None:
    paragraph = document.add_paragraph(text)
    paragraph.paragraph_format.first_line_indent = Pt(28)


def build_assessment_opinion() -> Path:
    document = Document()
    _set_font(document)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("调查评估意见书")
    run.bold = True
    run.font.size = Pt(18)
    document.add_paragraph("{{ document_number }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ organ_name }}：")
    _indented(
        document,
        "受你单位委托（{{ commission_number }}），我局于{{ received_on }}对{{ person_type }}{{ person_name }}"
        "进行了调查评估。现将有关情况报告如下：",
    )
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in PERSON_ROWS:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph("一、调查走访情况")
    for line in (
        "{%p for interview in interviews %}",
        "{{ interview.held_on }}，走访{{ interview.kind }}（{{ interview.person }}）：{{ interview.notes }}",
        "{%p endfor %}",
        "{%p if not interviews %}",
        "（无）",
        "{%p endif %}",
    ):
        document.add_paragraph(line)
    document.add_paragraph("二、家庭及居住情况")
    _indented(document, "{{ home_circumstances }}")
    document.add_paragraph("三、认罪悔罪态度")
    _indented(document, "{{ attitude }}")
    document.add_paragraph("四、评估意见")
    _indented(document, "综上，我局认为{{ person_name }}{{ opinion }}。{{ opinion_text }}")
    for line in ("{{ bureau_name }}", "{{ issued_on }}"):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path = HERE / "assessment_opinion.docx"
    document.save(str(path))
    slim(path)
    return path


if __name__ == "__main__":
    print(build_assessment_opinion())  # noqa: T201
