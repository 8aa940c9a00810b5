"""Issuing reports: numbered, Word and PDF from the shipped templates, readable Chinese, on time or late."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from ...models import Assessment, Instrument
from ...services.assessments import start_assessment, submit_assessment, take_assessment
from ...services.overrides import request_override
from ...services.reports import issue_report
from ..conftest import Case
from ..test_scoring import INTAKE_ANSWERS


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(  # noqa: S603 - a fixed command on our own temporary file
            ["/usr/bin/pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True, text=True
        ).stdout


def pdf_fonts(content: bytes) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def intake(case: Case, instruments: dict[str, Instrument]) -> Assessment:
    assessment = start_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["intake_example"],
        received_on=dt.date(2026, 9, 30),
    )
    return submit_assessment(actor=case.actor(), assessment=assessment, answers=INTAKE_ANSWERS)


def test_initial_assessment_report_in_word_and_pdf(case: Case, intake: Assessment) -> None:
    issued_at = timezone.make_aware(dt.datetime(2026, 10, 10, 16, 0))
    report = issue_report(actor=case.actor(), assessment=intake, issued_at=issued_at)
    assert report.number == "矫评〔2026〕1号"
    assert report.issued_on == dt.date(2026, 10, 10) and report.on_time
    word = docx_text(Path(report.docx.path).read_bytes())
    for expected in (
        "初始评估报告",
        "矫评〔2026〕1号",
        "张三",
        "中风险",
        "普管",
        "教育与就业",
        "经济状况",
        "示例",
        "2026-10-10",
    ):
        assert expected in word, expected
    assert "{{" not in word and "{%" not in word
    pdf = pdf_text(Path(report.pdf.path).read_bytes())
    for expected in ("初始评估报告", "姓名", "张三", "中风险", "各领域得分", "教育与就业", "需求领域", "示例"):
        assert expected in pdf, expected
    # The chart names each domain with its score and level, in the report's one compact font
    # (a second CJK font would make every PDF several times larger).
    assert any("教育与就业" in line and "%" in line and "需求" in line for line in pdf.splitlines())
    chart = _chart_lines(pdf, first="犯罪史", count=10)
    assert [line.split()[0] for line in chart] == [
        "犯罪史", "教育与就业", "经济状况", "家庭与婚姻", "住所", "休闲娱乐", "交友与同伴", "酒精与毒品", "情绪与人格", "态度与认知",
    ]  # fmt: skip
    assert all(line.split()[1].endswith("%") and line.split()[2].endswith("需求") for line in chart), chart
    assert pdf_fonts(Path(report.pdf.path).read_bytes()) == {"Zhengtu-Report-SC"}


def test_numbers_follow_each_other_and_late_reports_show(
    case: Case, instruments: dict[str, Instrument], intake: Assessment
) -> None:
    first = issue_report(
        actor=case.actor(), assessment=intake, issued_at=timezone.make_aware(dt.datetime(2026, 10, 13, 9))
    )
    assert not first.on_time  # due Saturday 10 October
    other = take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["phq9"],
        answers={**{f"phq{n}": "0" for n in range(1, 10)}},
    )
    second = issue_report(actor=case.actor(), assessment=other)
    assert second.number == f"矫评〔{timezone.localdate().year}〕{2 if timezone.localdate().year == 2026 else 1}号"
    with pytest.raises(ValidationError):
        issue_report(actor=case.actor(), assessment=other)


def test_psychological_report_shows_factor_scores(case: Case, instruments: dict[str, Instrument]) -> None:
    answers = {f"scl{n:02d}": "1" for n in range(1, 91)}
    for n in (1, 4, 12, 27, 40, 42, 48, 49, 52, 53, 56, 58):
        answers[f"scl{n:02d}"] = "3"
    assessment = take_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["scl90"], answers=answers
    )
    report = issue_report(actor=case.actor(), assessment=assessment)
    pdf = pdf_text(Path(report.pdf.path).read_bytes())
    for expected in ("心理测验与评估分析报告", "筛查阳性", "躯体化", "阳性项目数", "占位"):
        assert expected in pdf, expected
    # Each factor on one line of the chart with its mean and level, the longest label unbroken.
    chart = _chart_lines(pdf, first="躯体化", count=10)
    assert chart[0].split()[:3] == ["躯体化", "3/5", "中度"], chart
    assert chart[-1].split()[:2] == ["其他（睡眠、饮食等）", "1/5"], chart


def _chart_lines(pdf: str, *, first: str, count: int) -> list[str]:
    lines = [line.strip() for line in pdf.splitlines()]
    start = next(n for n, line in enumerate(lines) if line.startswith(first))
    return lines[start : start + count]


def test_a_replaced_template_drawing_the_html_chart_still_shows_every_domain(case: Case, intake: Assessment) -> None:
    from django.core.files.base import ContentFile

    from zhengtu.documents.models import DocumentTemplate

    source = (
        '<html><head><style>{{ font_css }} body { font-family: "{{ font_family }}"; font-size: 10pt; }'
        ".bars p { margin: 0; line-height: 17pt; } .bar-label { display: inline-block; width: 30mm; }"
        ".bar-track { display: inline-block; width: 80mm; height: 9pt; } .bar { display: block; height: 9pt; }"
        "</style></head><body><h1>本县评估报告 {{ number }}</h1>{{ chart_html }}</body></html>"
    )
    template = DocumentTemplate(code="assessment.report", format="html", name="本县模板", organisation=None)
    template.file.save("report.html", ContentFile(source.encode()), save=False)
    template.save()
    report = issue_report(actor=case.actor(), assessment=intake)
    pdf = pdf_text(Path(report.pdf.path).read_bytes())
    assert "本县评估报告" in pdf
    chart = _chart_lines(pdf, first="犯罪史", count=10)
    assert chart[-1].startswith("态度与认知") and "%" in chart[-1], chart


def test_no_report_while_an_override_waits(case: Case, intake: Assessment) -> None:
    request_override(
        actor=case.actor(), assessment=intake, to_level="high", reason="访谈中发现其仍与原犯罪团伙成员密切来往。"
    )
    with pytest.raises(ValidationError):
        issue_report(actor=case.actor(), assessment=intake)
