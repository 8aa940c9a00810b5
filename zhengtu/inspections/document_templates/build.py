"""Build the shipped Word templates of inspection reports (docxtpl syntax inside python-docx documents).

Run after changing the layout, and commit the generated .docx files:

    .venv/bin/python zhengtu/inspections/document_templates/build.py

Administrators replace a template by uploading their own .docx under the same code
("inspections.project_report", "inspections.round_summary") in the documents app; the variables they may use
are those below. Each multi-paragraph text arrives as a list of paragraphs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhengtu.documents.docx_templates import slim

HERE = Path(__file__).resolve().parent


def _document() -> Any:
    document = Document()
    for name, face, size in (
        ("Normal", "宋体", 12),
        ("Heading 1", "黑体", 16),
        ("Heading 2", "黑体", 14),
        ("Title", "黑体", 20),
    ):
        style = document.styles[name]
        style.font.name = face
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
    return document


def _title(document: Any, text: str) -> None:
    paragraph = document.add_paragraph(text, style="Title")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _paragraphs(document: Any, variable: str) -> None:
    document.add_paragraph(f"{{%p for paragraph in {variable} %}}")
    document.add_paragraph("{{ paragraph }}")
    document.add_paragraph("{%p endfor %}")


def _table(document: Any, headers: list[str], loop: str, cells: list[str]) -> None:
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    table.rows[1].cells[0].text = f"{{%tr for row in {loop} %}}"
    for cell, value in zip(table.rows[2].cells, cells, strict=True):
        cell.text = value
    table.rows[3].cells[0].text = "{%tr endfor %}"


def build_round_summary() -> None:
    document = _document()
    _title(document, "{{ title }}工作总结")
    document.add_heading("一、督导巡查的基本情况", level=1)
    document.add_heading("（一）督导巡查依据", level=2)
    _paragraphs(document, "basis")
    document.add_heading("（二）督导巡查目的", level=2)
    _paragraphs(document, "aims")
    document.add_heading("（三）督导巡查内容", level=2)
    _paragraphs(document, "content")
    document.add_heading("（四）督导巡查整体情况", level=2)
    document.add_paragraph(
        "督导组于{{ starts_on }}至{{ ends_on }}期间先后完成对{{ project_names }}共{{ projects_inspected }}个项目的督导巡查"
        "{% if level_breakdown %}（{{ level_breakdown }}）{% endif %}，并形成各项目的报告。"
        "{% if average_score %}各项目平均得分{{ average_score }}分，最高{{ highest_score }}分，最低{{ lowest_score }}分。{% endif %}"
    )
    _paragraphs(document, "overall")
    document.add_heading("二、司法社会工作项目的推进情况", level=1)
    _table(
        document,
        ["序号", "项目名称", "承办机构", "购买方", "专家组评分"],
        "projects",
        ["{{ row.number }}", "{{ row.name }}", "{{ row.agency }}", "{{ row.bureau }}", "{{ row.score }}"],
    )
    document.add_paragraph("{%p for project in projects %}")
    document.add_paragraph("（{{ project.number }}）{{ project.name }}")
    document.add_paragraph("{%p for paragraph in project.summary %}")
    document.add_paragraph("{{ paragraph }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for strength in project.strengths %}")
    document.add_paragraph("{{ strength }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    document.add_heading("三、总体需要完善的地方", level=1)
    _paragraphs(document, "common_problems")
    document.add_paragraph("{%p for area in problems_by_area %}")
    document.add_paragraph("（{{ area.number }}）{{ area.title }}")
    document.add_paragraph("{%p for problem in area.problems %}")
    document.add_paragraph("{{ problem }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    document.add_heading("四、对策建议", level=1)
    _paragraphs(document, "recommendations")
    signature = document.add_paragraph("{{ association }}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = document.add_paragraph("{{ date }}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(HERE / "round_summary.docx")
    slim(HERE / "round_summary.docx")


def build_project_report() -> None:
    document = _document()
    _title(document, "{{ project }}督导巡查报告")
    document.add_paragraph("{{ round_title }}")
    document.add_heading("一、项目基本情况", level=1)
    table = document.add_table(rows=6, cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(
        table.rows,
        [
            ("项目名称", "{{ project }}"),
            ("承办机构", "{{ agency }}"),
            ("购买方", "{{ buying_bureau }}"),
            ("服务期限", "{{ period }}"),
            ("合同金额（元）", "{{ contract_amount }}"),
            ("巡查日期", "{{ visit_on }}"),
        ],
        strict=True,
    ):
        row.cells[0].text = label
        row.cells[1].text = value
    document.add_heading("二、督导巡查专家组", level=1)
    _table(
        document,
        ["姓名", "专业领域", "职称", "工作单位"],
        "members",
        [
            "{{ row.name }}{% if row.leader %}（组长）{% endif %}",
            "{{ row.specialty }}",
            "{{ row.title }}",
            "{{ row.employer }}",
        ],
    )
    document.add_heading("三、督导巡查方式", level=1)
    document.add_paragraph("{%p for activity in activities %}")
    document.add_paragraph(
        "{{ activity.date }} {{ activity.kind }}{% if activity.participants %}（{{ activity.participants }}）{% endif %}：{{ activity.notes }}"
    )
    document.add_paragraph("{%p endfor %}")
    document.add_heading("四、评分结果", level=1)
    document.add_paragraph(
        "专家组{{ expert_count }}名专家独立评分，综合得分{{ panel_score }}分（满分 100 分），"
        "专家评分极差{{ score_range }}分。{% if flagged %}专家评分分歧较大，已提交专家组复议。{% endif %}"
    )
    _table(
        document,
        ["评估方面", "分值", "平均得分"],
        "sections",
        ["{{ row.title }}", "{{ row.weight }}", "{{ row.mean }}"],
    )
    document.add_heading("五、项目推进情况及成效", level=1)
    _paragraphs(document, "summary")
    document.add_paragraph("{%p for strength in strengths %}")
    document.add_paragraph("{{ strength }}")
    document.add_paragraph("{%p endfor %}")
    document.add_heading("六、存在问题及建议", level=1)
    document.add_paragraph("{%p for problem in problems %}")
    document.add_paragraph(
        "{{ problem.number }}. {% if problem.area %}【{{ problem.area }}】{% endif %}{{ problem.text }}"
    )
    document.add_paragraph("{%p if problem.recommendation %}")
    document.add_paragraph("建议：{{ problem.recommendation }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    document.add_heading("七、整改事项", level=1)
    _table(
        document,
        ["整改事项", "责任人", "整改期限", "状态"],
        "rectifications",
        ["{{ row.description }}", "{{ row.owner }}", "{{ row.due_on }}", "{{ row.status }}"],
    )
    signature = document.add_paragraph("{{ association }}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = document.add_paragraph("{{ date }}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(HERE / "project_report.docx")
    slim(HERE / "project_report.docx")


if __name__ == "__main__":
    build_round_summary()
    build_project_report()
