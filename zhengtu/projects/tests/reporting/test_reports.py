"""Monthly reports and the lifecycle of a report: draft, finalise (frozen version), reopen, next version."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.projects import services
from zhengtu.projects.models import ReportStatus, ReportVersion
from zhengtu.projects.reporting import services as reporting
from zhengtu.projects.tests.conftest import actor
from zhengtu.services.models import ServiceKind
from zhengtu.services.services import record_service

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    rows = [" | ".join(c.text for c in row.cells) for table in document.tables for row in table.rows]
    return "\n".join([p.text for p in document.paragraphs] + rows)


@pytest.fixture
def march_report(pw, people):
    manager = actor(pw.manager)
    services.set_target(
        actor=manager, project=pw.project, indicator="education_sessions",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), target_value=156,
    )  # fmt: skip
    line = services.save_budget_line(
        actor=manager, project=pw.project, category="education", name="集中教育学习费", amount=Decimal("120000")
    )
    services.record_spending(
        actor=manager, line=line, spent_on=dt.date(2026, 2, 28), amount=Decimal("10000"), description="二月"
    )
    services.record_spending(
        actor=manager, line=line, spent_on=dt.date(2026, 3, 31), amount=Decimal("12000"), description="三月"
    )
    for day in (dt.date(2026, 2, 10), dt.date(2026, 3, 10), dt.date(2026, 3, 20)):
        record_service(
            actor=actor(pw.worker), project=pw.project, kind=ServiceKind.EDUCATION, held_on=day,
            duration_hours=Decimal("2"), topic="法治教育", attendees=people,
        )  # fmt: skip
    report = reporting.create_report(
        actor=manager, project=pw.project, kind="monthly", period_start=MARCH[0], period_end=MARCH[1]
    )
    return reporting.save_narrative(
        actor=manager,
        report=report,
        title=report.title,
        narrative={"summary": "三月开展两场法治教育。", "problems": "山区走访难。", "plans": "四月开展禁毒教育。"},
    )


@pytest.mark.django_db
def test_the_monthly_report_states_the_month_and_the_year_to_date(pw, march_report):
    assert march_report.title == "溆浦县司法局2026年社区矫正购买服务项目2026年3月工作月报"
    text = text_of(reporting.render_draft(actor=actor(pw.manager), report=march_report))
    assert "教育学习（场次） | 2 | 3 | 156 | 1.9%" in text  # this month, to date, target, completion
    assert "本月支出1.2万元，累计支出2.2万元" in text
    assert "集中教育学习费 | 1.2 | 2.2 | 12 | 18.3%" in text
    assert "三月开展两场法治教育。" in text and "四月开展禁毒教育。" in text
    assert AuditEntry.objects.filter(
        action=Action.EXPORT, object_type="projects.projectreport", detail__draft=True
    ).exists()


@pytest.mark.django_db
def test_a_finalised_report_is_frozen_and_reopening_makes_a_new_version(pw, people, march_report):
    manager = actor(pw.manager)
    first = reporting.finalise_report(actor=manager, report=march_report)
    assert first.number == 1 and first.figures["outputs"][0]["month_actual"] == 2
    with pytest.raises(ValidationError):
        reporting.save_narrative(actor=manager, report=march_report, title="改标题", narrative={})
    with pytest.raises(RuntimeError):
        first.save()
    # The ledger changes after finalising: version 1 keeps what it said.
    record_service(
        actor=actor(pw.worker), project=pw.project, kind=ServiceKind.EDUCATION, held_on=dt.date(2026, 3, 25),
        duration_hours=Decimal("2"), topic="补录", attendees=people,
    )  # fmt: skip
    frozen = text_of(reporting.read_version(actor=manager, version=first))
    assert "教育学习（场次） | 2 | 3 |" in frozen
    reporting.reopen_report(actor=manager, report=march_report)
    reporting.save_narrative(
        actor=manager,
        report=march_report,
        title=march_report.title,
        narrative={**march_report.narrative, "summary": "补录一场。"},
    )
    second = reporting.finalise_report(actor=manager, report=march_report)
    assert second.number == 2 and second.figures["outputs"][0]["month_actual"] == 3
    assert "教育学习（场次） | 3 | 4 |" in text_of(reporting.read_version(actor=manager, version=second))
    assert ReportVersion.objects.get(number=1).figures["outputs"][0]["month_actual"] == 2


@pytest.mark.django_db
def test_finalising_needs_every_section_and_a_tampered_file_is_refused(pw, march_report):
    manager = actor(pw.manager)
    reporting.save_narrative(
        actor=manager,
        report=march_report,
        title=march_report.title,
        narrative={"summary": "", "problems": "无", "plans": "无"},
    )
    with pytest.raises(ValidationError) as caught:
        reporting.finalise_report(actor=manager, report=march_report)
    assert "本月工作小结" in caught.value.messages[0]
    reporting.save_narrative(
        actor=manager,
        report=march_report,
        title=march_report.title,
        narrative={"summary": "有", "problems": "无", "plans": "无"},
    )
    version = reporting.finalise_report(actor=manager, report=march_report)
    with version.file.open("wb") as handle:
        handle.write(b"changed")
    with pytest.raises(ValidationError):
        reporting.read_version(actor=manager, version=version)


@pytest.mark.django_db
def test_report_pages(client, login, pw, march_report):
    login(client, pw.manager)
    page = client.get(reverse("projects:report", args=[pw.project.pk, march_report.pk]))
    assert page.status_code == 200 and "台账数据" in page.content.decode()
    response = client.post(
        reverse("projects:report", args=[pw.project.pk, march_report.pk]),
        {"title": march_report.title, "summary": "页面上修改的小结。", "problems": "无", "plans": "五月计划"},
    )
    assert response.status_code == 302
    assert client.post(reverse("projects:report_finalise", args=[pw.project.pk, march_report.pk])).status_code == 302
    march_report.refresh_from_db()
    assert march_report.status == ReportStatus.FINAL
    login(client, pw.bureau)  # the buyer reads the finalised version
    download = client.get(reverse("projects:report_version", args=[pw.project.pk, march_report.pk, 1]))
    assert download.status_code == 200 and "页面上修改的小结。" in text_of(download.content)
