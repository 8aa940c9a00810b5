"""Seed 003: the 溆浦 2020 project's self-evaluation report, generated from the ledger.

The project's targets, budget lines and the counts of records it reports are loaded through the
real services; the Word file must then state the same figures and completion rates as the
hand-written report (158 of 156 education sessions, 89.098万元 spent of 89.1万元, ...).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document

from zhengtu.accounts.roles import Role
from zhengtu.projects import seeding
from zhengtu.projects.models import ReportKind, ReportStatus, StaffRole
from zhengtu.projects.reporting import services as reports
from zhengtu.projects.tests.conftest import actor
from zhengtu.supervisees.models import Assignment, AssignmentRole
from zhengtu.testing.factories import UserFactory, make_supervisee

YEAR_START, YEAR_END = dt.date(2020, 1, 1), dt.date(2020, 12, 31)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _issue_psychological_reports(people, worker) -> None:  # type: ignore[no-untyped-def]
    """Seed 003's 247 issued 《心理测验与评估分析报告》: scored screenings with their reports, one per person."""
    from zhengtu.assessment.models import (
        Assessment,
        AssessmentMode,
        AssessmentReport,
        AssessmentStatus,
        InstrumentKind,
        InstrumentVersion,
    )
    from zhengtu.assessment.services.instruments import load_shipped_instruments

    load_shipped_instruments()
    version = InstrumentVersion.objects.filter(instrument__kind=InstrumentKind.PSYCHOLOGICAL).first()
    issued = timezone.make_aware(dt.datetime(2020, 6, 30, 10))
    screenings = Assessment.objects.bulk_create(
        Assessment(
            supervisee=person,
            instrument_version=version,
            office=person.responsible_office,
            mode=AssessmentMode.INTERVIEW,
            status=AssessmentStatus.SUBMITTED,
            assessor=worker,
            received_on=dt.date(2020, 6, 1),
            submitted_at=issued,
            submitted_by=worker,
        )
        for person in people
    )
    AssessmentReport.objects.bulk_create(
        AssessmentReport(
            assessment=screening,
            number=f"溆心评〔2020〕{n}号",
            issued_at=issued,
            issued_on=issued.date(),
            issued_by=worker,
        )
        for n, screening in enumerate(screenings, start=1)
    )


@pytest.fixture
def xupu_2020(world):  # type: ignore[no-untyped-def]
    data = seeding.load("xupu_2020")
    people = [
        make_supervisee(world.office_a, term_start=dt.date(2019, 12, 1), term_months=24)
        for _ in range(data["actuals"]["routine_visits"])
    ]
    Assignment.objects.bulk_create(
        [Assignment(supervisee=p, user=world.social_worker_a, role=AssignmentRole.SOCIAL_WORKER) for p in people]
    )
    bureau = actor(world.bureau_a)
    project = seeding.create_project(
        manager=bureau,
        buying_bureau=world.county_a,
        agency=world.agency_a,
        data=data,
        staff=[(world.social_worker_a, StaffRole.SOCIAL_WORKER)]
        + [
            (UserFactory(organisation=world.agency_a, role=Role.SOCIAL_WORKER), StaffRole.SOCIAL_WORKER)
            for _ in range(5)
        ],
    )
    seeding.receive_funds(manager=bureau, project=project, share=Decimal(1), on=dt.date(2020, 1, 15))
    seeding.book_spending(manager=bureau, project=project, share=Decimal(1), last_day=YEAR_END)
    seeding.record_activity(
        project=project,
        caseloads=[seeding.Caseload(actor(world.social_worker_a), people)],
        counts=data["actuals"],
        first_day=YEAR_START,
        last_day=YEAR_END,
        data=data,
        rng=random.Random(3),
    )
    _issue_psychological_reports(people[:247], world.social_worker_a)
    return project, data


@pytest.mark.django_db
def test_generated_report_states_the_figures_and_completion_rates_of_seed_003(xupu_2020, world, settings):
    project, data = xupu_2020
    bureau = actor(world.bureau_a)
    report = reports.create_report(
        actor=bureau, project=project, kind=ReportKind.ANNUAL, period_start=YEAR_START, period_end=YEAR_END
    )
    report = reports.save_narrative(actor=bureau, report=report, title=report.title, narrative=data["narrative"])
    version = reports.finalise_report(actor=bureau, report=report)
    text = docx_text(reports.read_version(actor=bureau, version=version))

    assert "溆浦县司法局2020年社区矫正购买服务项目专项资金绩效自评报告" in text
    # Funds: budget 89.1, contract and paid 89.098, used by line as in the seed.
    assert (
        "年度资金财政预算为89.1万元，合同金额（中标价）为89.098万元，实际到位89.098万元，项目资金已经全部拨款到位"
        in text
    )
    for line, amount in (
        ("人员开支", "33.998"), ("心理测量评估费", "2.6"), ("团辅个案", "12"), ("集中教育学习费", "12"),
        ("社区服务费用", "8"), ("走访调查费用", "10"), ("定位服务费", "5.5"), ("差旅管理及相关税费", "5"),
    ):  # fmt: skip
        assert f"{line}{amount}万元" in text
    assert "共计89.098万元" in text
    assert "合同金额：89.098万元；驻点专职社工6名" in text
    # Outputs per indicator with completion rates.
    for sentence in (
        "教育学习：应完成156场次，实际完成158场次，完成率101.3%（超额完成）",
        "心理测量：应完成250人次，实际完成255人次，完成率102%（超额完成）",
        "团体心理辅导：应完成6场次，实际完成6场次，完成率100%（完成）",
        "个案心理辅导：应完成20人，实际完成20人，完成率100%（完成）",
        "社区服务：应完成156场次，实际完成158场次，完成率101.3%（超额完成）",
        "日常走访：应完成330人，实际完成330人，完成率100%（完成）",
        "重点走访：应完成50人，实际完成50人，完成率100%（完成）",
        "特殊走访：应完成20人，实际完成20人，完成率100%（完成）",
        "定位服务（APP安装）：应完成250人次，实际完成255人次，完成率102%（超额完成）",
    ):
        assert sentence in text, sentence
    assert "累计完成教育学习158场次" in text
    assert "心理测量255人次（出具社区矫正对象《心理测验与评估分析报告》247份）" in text
    # Narrative sections written on the page are in the document, in the seed's order.
    assert text.index("一、项目基本情况") < text.index("严格执行财务制度") < text.index("三、项目后续工作计划")
    assert text.index("（二）存在问题") < text.index("因国家疫情防控要求") < text.index("六、其他")

    # The finalised version is frozen with the figures it states.
    assert report.__class__.objects.get(pk=report.pk).status == ReportStatus.FINAL
    outputs = {row["code"]: row for row in version.figures["outputs"]}
    assert outputs["education_sessions"]["actual"] == 158 and outputs["education_sessions"]["target"] == 156
    assert version.figures["funds"]["exact"]["spent"] == "890980.00"
    assert version.number == 1
