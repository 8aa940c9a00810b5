"""Build the shipped Word (.docx) templates of the juvenile documents for docxtpl with python-docx.

Run after changing a layout here, then commit the generated files:

    .venv/bin/python zhengtu/juvenile/document_templates/build.py

The placeholders are those of the HTML twins (`documents.case_context`, `documents.investigation_context`), so
one context fills both.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from zhengtu.documents.docx_templates import slim
from zhengtu.supervision.document_templates.build import _set_font

HERE = Path(__file__).resolve().parent

CASE_ROWS = [
    ("案件编号", "{{ case_number }}"),
    ("服务类型", "{{ service_type }}"),
    ("姓名", "{{ child_name }}"),
    ("性别", "{{ sex }}"),
    ("出生日期", "{{ birth_date }}（{{ age }}周岁）"),
    ("就学或就业", "{{ school_or_work }}"),
    ("转介单位", "{{ referrer }}（{{ referred_on }}）"),
    (
        "监护人",
        "{% for g in guardians %}{{ g.name }}（{{ g.relation }}）{% if not loop.last %}、{% endif %}{% endfor %}",
    ),
    (
        "知情同意",
        "未成年人本人：{% if child_consent %}同意{% else %}未同意{% endif %}；"
        "监护人：{% if guardian_consent %}同意{% else %}未同意{% endif %}",
    ),
    ("转介事由", "{{ summary }}"),
    ("当前阶段", "{{ stage }}"),
]


def _title(document: Document, text: str) -> None:  # type: ignore[valid-type]
    heading = document.add_paragraph()  # type: ignore[attr-defined]
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(text)
    run.bold = True
    run.font.size = Pt(18)


def build_service_document() -> Path:
    document = Document()
    _set_font(document)
    document.add_paragraph("{% if sealed %}未成年人犯罪记录封存{% endif %}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _title(document, "{{ title }}")
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in CASE_ROWS:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph("服务记录")
    for line in ("{%p for r in records %}", "{{ r.date }}　{{ r.stage }}：{{ r.content }}", "{%p endfor %}"):
        document.add_paragraph(line)
    document.add_paragraph("{% if closed_on %}结案日期：{{ closed_on }}；档案保存至：{{ retain_until }}。{% endif %}")
    document.add_paragraph("社会工作者（签名）：　　　　　　　　督导（签名）：")
    document.add_paragraph("{{ agency_name }}　{{ issued_on }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _save(document, "service_document")


def build_investigation_report() -> Path:
    document = Document()
    _set_font(document)
    document.add_paragraph("{% if sealed %}未成年人犯罪记录封存{% endif %}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _title(document, "未成年犯罪嫌疑人社会调查报告")
    document.add_paragraph("{{ requesting_organ }}：")
    document.add_paragraph(
        "受你院{{ requested_on }}委托，{{ agency_name }}对未成年人{{ child_name }}（{{ sex }}，{{ birth_date }}出生）"
        "开展社会调查。调查人员走访了：{% for i in interviews %}{{ i.kind }}{{ i.name }}（{{ i.date }}）"
        "{% if not loop.last %}；{% endif %}{% endfor %}。现将调查情况报告如下："
    )
    for line in ("{%p for s in sections %}", "{{ loop.index }}、{{ s.title }}", "{{ s.text }}", "{%p endfor %}"):
        document.add_paragraph(line)
    document.add_paragraph("调查人：{{ investigator }}")
    document.add_paragraph("{{ agency_name }}　{{ issued_on }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _save(document, "social_investigation_report")


def _save(document: Document, name: str) -> Path:  # type: ignore[valid-type]
    path = HERE / f"{name}.docx"
    document.save(str(path))  # type: ignore[attr-defined]
    slim(path)
    return path


if __name__ == "__main__":
    print(build_service_document(), build_investigation_report())  # noqa: T201
