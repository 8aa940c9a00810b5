"""Build the shipped Word template of the assessment report (docxtpl tags), then commit report.docx:

    .venv/bin/python -m zhengtu.assessment.document_templates.build

Administrators may replace it (code "assessment.report", format Word) with their own file using the
same names; see README.md next to this file.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from zhengtu.documents.docx_templates import slim

HERE = Path(__file__).resolve().parent
BLUE = RGBColor(0x1D, 0x4E, 0x89)


def _font(document: WordDocument) -> None:
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")


def _heading(document: WordDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(13)
    run.font.color.rgb = BLUE
    run.bold = True


def _line(document: WordDocument, text: str) -> None:
    document.add_paragraph(text)


def _loop_table(document: WordDocument, headers: list[str], loop: str, cells: list[str]) -> None:
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for index, header in enumerate(headers):
        table.rows[0].cells[index].text = header
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for index, cell in enumerate(cells):
        table.rows[2].cells[index].text = cell
    table.rows[3].cells[0].text = "{%tr endfor %}"


def build() -> Path:
    document = Document()
    _font(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ title }}")
    run.font.size = Pt(18)
    run.bold = True
    number = document.add_paragraph("{{ number }}")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(document, "{%p if example_warning %}")
    _line(document, "注意：{{ example_warning }}")
    _line(document, "{%p endif %}")
    _line(document, "{%p if placeholder_warning %}")
    _line(document, "注意：{{ placeholder_warning }}")
    _line(document, "{%p endif %}")

    info = document.add_table(rows=5, cols=4)
    info.style = "Table Grid"
    rows = [
        ("姓名", "{{ name }}", "性别／年龄", "{{ sex }}／{{ age }}岁"),
        ("矫正类别", "{{ sentence_type }}", "罪名", "{{ crime }}"),
        ("责任司法所", "{{ organisation }}", "矫正期限", "{{ term }}"),
        ("评估量表", "{{ instrument }}", "评估人", "{{ assessor }}"),
        (
            "问卷收到日期",
            "{{ received_on }}",
            "报告应出具／实际出具",
            "{{ due_on }}{% if due_is_approximate %}*{% endif %}／{{ issued_on }}",
        ),
    ]
    for row, values in zip(info.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value

    _heading(document, "一、评估结果")
    _line(document, "{% if is_risk_needs %}风险等级{% else %}测评结果{% endif %}：{{ level }}")
    _line(document, "{%p for metric in metrics %}")
    _line(document, "{{ metric.label }}：{{ metric.value }}")
    _line(document, "{%p endfor %}")
    _line(document, "{%p if overridden %}")
    _line(
        document,
        "系统计算等级为“{{ computed_level }}”，经{{ override_approver }}审批调整。调整理由：{{ override_reason }}",
    )
    _line(document, "{%p endif %}")
    _line(document, "{%p if recommended_supervision_level %}")
    _line(document, "建议监管等级：{{ recommended_supervision_level }}")
    _line(document, "{%p endif %}")
    _line(document, "{%p if measures %}")
    _line(document, "矫正措施建议：{{ measures }}")
    _line(document, "{%p endif %}")

    _line(document, "{%p if domains|length > 1 %}")
    _heading(document, "二、各领域得分")
    _loop_table(
        document,
        ["领域", "类别", "得分", "图示", "等级"],
        "d in domains",
        [
            "{{ d.label }}",
            "{{ d.group }}",
            "{{ d.score }}",
            "{{ d.bar }} {{ d.percent }}",
            "{{ d.level }}",
        ],
    )
    _line(document, "{%p endif %}")

    _line(document, "{%p if needs %}")
    _heading(document, "三、需求领域及优先次序")
    _loop_table(
        document,
        ["优先次序", "领域", "需求程度", "矫正措施建议"],
        "n in needs",
        ["{{ n.priority }}", "{{ n.label }}", "{{ n.level }}", "{{ n.measures }}"],
    )
    _line(document, "{%p endif %}")

    _line(document, "{%p if critical %}")
    _heading(document, "四、危机项目")
    _line(document, "{%p for c in critical %}")
    _line(document, "注意：{{ c.label }}：{{ c.answer }}。{{ c.message }}")
    _line(document, "{%p endfor %}")
    _line(document, "{%p endif %}")

    _line(document, "{%p if due_is_approximate %}")
    _line(document, "* 应出具日期按周一至周五估算：该年度的法定节假日安排尚未载入。")
    _line(document, "{%p endif %}")
    _line(document, "")
    _line(document, "评估人：{{ assessor }}　　　　审核人：{{ issued_by }}　　　　日期：{{ issued_on }}")
    target = HERE / "report.docx"
    document.save(str(target))
    slim(target)
    return target


if __name__ == "__main__":
    build()
