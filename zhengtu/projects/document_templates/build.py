"""Build the shipped Word templates (docxtpl tags) of the projects app.

Run from the repository root after changing the layout, and commit the .docx files:

    .venv/bin/python -m zhengtu.projects.document_templates.build

Administrators replace a template without code by uploading a .docx under its code
(projects.annual_self_evaluation, projects.monthly_report) in the documents app. The variables
available are `title`, `dated`, `narrative.<section>` (lists of paragraphs) and `figures` (see
zhengtu/projects/reporting/figures.py).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhengtu.documents.docx_templates import slim

HERE = Path(__file__).resolve().parent
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"


class Builder:
    def __init__(self) -> None:
        self.document = Document()
        normal = self.document.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(12)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    def title(self, text: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(18)
        run.font.name = HEADING_FONT
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)

    def heading(self, text: str, level: int = 1) -> None:
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(14 if level == 1 else 12)
        run.font.name = HEADING_FONT
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)

    def text(self, text: str) -> None:
        paragraph = self.document.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(24)

    def tag(self, text: str) -> None:
        """A paragraph holding only a {%p ... %} tag: docxtpl removes the paragraph itself."""
        self.document.add_paragraph(text)

    def narrative(self, key: str) -> None:
        self.tag(f"{{%p for paragraph in narrative.{key} %}}")
        self.text("{{ paragraph }}")
        self.tag("{%p endfor %}")

    def table(self, headers: list[str], loop: str, cells: list[str], total: list[str] | None = None) -> None:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
            for run in cell.paragraphs[0].runs:
                run.bold = True
        table.add_row().cells[0].text = f"{{%tr for row in {loop} %}}"
        for cell, value in zip(table.add_row().cells, cells, strict=True):
            cell.text = value
        table.add_row().cells[0].text = "{%tr endfor %}"
        if total:
            for cell, value in zip(table.add_row().cells, total, strict=True):
                cell.text = value
                for run in cell.paragraphs[0].runs:
                    run.bold = True

    def save(self, name: str) -> Path:
        path = HERE / name
        self.document.save(str(path))
        slim(path)
        return path


def build_annual() -> Path:
    """The annual performance self-evaluation report, in the structure of seed 003."""
    b = Builder()
    b.title("{{ title }}")
    b.heading("一、项目基本情况")
    b.heading("（一）项目概况", 2)
    b.narrative("overview")
    b.text(
        "项目名称：{{ figures.project.name }}；购买单位：{{ figures.project.buying_bureau }}；"
        "承接机构：{{ figures.project.agency }}；合同编号：{{ figures.project.contract_number }}；"
        "{% if figures.project.awarded %}中标时间：{{ figures.project.awarded }}；{% endif %}"
        "实施期限：{{ figures.project.start }}至{{ figures.project.end }}；"
        "合同金额：{{ figures.funds.contract_wan }}万元；驻点专职社工{{ figures.project.social_workers }}名。"
    )
    b.table(
        ["姓名", "岗位", "资质"],
        "figures.project.staff",
        ["{{ row.name }}", "{{ row.role }}", "{{ row.credentials }}"],
    )
    b.heading("（二）项目绩效目标", 2)
    b.narrative("goals")
    b.text("量化考核指标如下：")
    b.table(
        ["考核指标", "单位", "目标值"],
        "figures.outputs",
        ["{{ row.label }}", "{{ row.unit }}", "{{ row.target }}"],
    )
    b.heading("二、绩效评价指标分析情况")
    b.heading("（一）项目资金情况分析", 2)
    b.text("1、项目资金到位情况分析")
    b.text(
        "该项目年度资金财政预算为{{ figures.funds.budget_wan }}万元，合同金额（中标价）为{{ figures.funds.contract_wan }}万元，"
        "实际到位{{ figures.funds.received_wan }}万元，"
        "{% if figures.funds.fully_received %}项目资金已经全部拨款到位。"
        "{% else %}尚有{{ figures.funds.outstanding_wan }}万元未到位。{% endif %}"
    )
    b.text("2、项目资金使用情况分析")
    b.text(
        "项目资金实际使用{{ figures.funds.spent_wan }}万元，其中{{ figures.funds.lines_sentence }}，"
        "共计{{ figures.funds.spent_wan }}万元，预算执行率{{ figures.funds.burn }}。"
    )
    b.table(
        ["预算科目", "预算（万元）", "实际支出（万元）", "执行率"],
        "figures.funds.lines",
        ["{{ row.name }}", "{{ row.allowance_wan }}", "{{ row.spent_wan }}", "{{ row.burn }}"],
        total=["合计", "{{ figures.funds.contract_wan }}", "{{ figures.funds.spent_wan }}", "{{ figures.funds.burn }}"],
    )
    b.text("3、项目资金管理情况分析")
    b.narrative("funds_management")
    b.heading("（二）项目实施情况分析", 2)
    b.text("1、项目组织情况分析")
    b.narrative("organisation")
    b.text("2、项目管理情况分析")
    b.narrative("management")
    b.heading("（三）项目情况分析", 2)
    b.text("1、项目的经济性分析")
    b.narrative("economy")
    b.text("2、项目的效率性分析")
    b.narrative("efficiency")
    b.text("自{{ figures.project.start }}起至{{ figures.project.end }}止，累计完成{{ figures.outputs_sentence }}。")
    b.text("3、项目的效益性分析")
    b.tag("{%p for row in figures.outputs %}")
    b.text(
        "{{ row.label }}：应完成{{ row.target }}{{ row.unit }}，实际完成{{ row.actual }}{{ row.unit }}，"
        "完成率{{ row.completion }}（{{ row.verdict }}）。"
    )
    b.tag("{%p endfor %}")
    b.table(
        ["考核指标", "目标值", "实际完成", "完成率", "评价"],
        "figures.outputs",
        [
            "{{ row.label }}（{{ row.unit }}）",
            "{{ row.target }}",
            "{{ row.actual }}",
            "{{ row.completion }}",
            "{{ row.verdict }}",
        ],
    )
    b.narrative("effects")
    b.heading("三、项目后续工作计划")
    b.narrative("plans")
    b.heading("四、评价情况及评价结论")
    b.narrative("conclusions")
    b.heading("五、主要经验做法、存在问题、改进措施和建议")
    b.heading("（一）主要经验做法", 2)
    b.narrative("experience")
    b.heading("（二）存在问题", 2)
    b.narrative("problems")
    b.heading("（三）改进措施和建议", 2)
    b.narrative("improvements")
    b.heading("六、其他")
    b.narrative("other")
    signature = b.document.add_paragraph("{{ figures.project.agency }}\n{{ dated }}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return b.save("annual_self_evaluation.docx")


def build_monthly() -> Path:
    b = Builder()
    b.title("{{ title }}")
    b.heading("一、基本情况")
    b.text(
        "项目名称：{{ figures.project.name }}；购买单位：{{ figures.project.buying_bureau }}；"
        "承接机构：{{ figures.project.agency }}；报告月份：{{ figures.month }}；"
        "项目时间进度{{ figures.elapsed }}，资金执行率{{ figures.burn }}。"
    )
    b.heading("二、服务产出")
    b.table(
        ["考核指标", "本月完成", "累计完成", "年度目标", "完成率", "时间进度", "进度评价"],
        "figures.outputs",
        [
            "{{ row.label }}（{{ row.unit }}）",
            "{{ row.month_actual }}",
            "{{ row.cumulative }}",
            "{{ row.target }}",
            "{{ row.completion }}",
            "{{ row.elapsed }}",
            "{{ row.pace }}",
        ],
    )
    b.heading("三、资金使用")
    b.text(
        "本月支出{{ figures.spending_month_wan }}万元，累计支出{{ figures.spending_cumulative_wan }}万元，"
        "占合同金额{{ figures.contract_wan }}万元的{{ figures.burn }}。"
    )
    b.table(
        ["预算科目", "本月支出（万元）", "累计支出（万元）", "预算（万元）", "执行率"],
        "figures.spending",
        [
            "{{ row.name }}",
            "{{ row.month_wan }}",
            "{{ row.cumulative_wan }}",
            "{{ row.allowance_wan }}",
            "{{ row.burn }}",
        ],
    )
    b.heading("四、本月工作小结")
    b.narrative("summary")
    b.heading("五、存在问题")
    b.narrative("problems")
    b.heading("六、下月工作计划")
    b.narrative("plans")
    signature = b.document.add_paragraph("{{ figures.project.agency }}\n{{ dated }}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return b.save("monthly_report.docx")


if __name__ == "__main__":
    for built in (build_annual(), build_monthly()):
        print(built)  # noqa: T201
