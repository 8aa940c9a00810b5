"""The assessment pages, as users see them: scope (outsiders get 404), audit of reads, behaviour."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.testing.factories import UserFactory
from zhengtu.workdays.models import CalendarDay

from ...models import Assessment, AssessmentMode, AssessmentStatus, CriticalAlert, Instrument, LevelOverride
from ...services.assessments import start_assessment, take_assessment
from ...services.overrides import request_override
from ...services.reports import issue_report
from ..conftest import Case, small_instrument
from ..test_scoring import INTAKE_ANSWERS

# 2 + 2 + 1 = 5: mild; item 9 above 0 is critical.
PHQ_CRITICAL = {**{f"phq{n}": "0" for n in range(1, 10)}, "phq1": "2", "phq2": "2", "phq9": "1", "phq10": "1"}


@pytest.fixture
def scored(case: Case, instruments: dict[str, Instrument]) -> Assessment:
    return take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["phq9"],
        answers=PHQ_CRITICAL,
        received_on=dt.date(2026, 9, 30),
    )


@pytest.fixture
def intake(case: Case, instruments: dict[str, Instrument]) -> Assessment:
    return take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["intake_example"],
        answers=INTAKE_ANSWERS,
        received_on=dt.date(2026, 9, 30),
    )


def _views(client: Client, url: str) -> int:
    return client.get(url).status_code


def test_outsiders_get_404_on_every_record_page(
    client: Client, login: Any, case: Case, scored: Assessment, intake: Assessment
) -> None:
    issue_report(actor=case.actor(), assessment=intake)
    alert = CriticalAlert.objects.get(assessment=scored)
    override = request_override(
        actor=case.actor(), assessment=scored, to_level="moderate", reason="访谈中情绪低落明显，建议上调。"
    )
    login(client, case.outsider)
    for url in [
        reverse("assessment:detail", args=[scored.pk]),
        reverse("assessment:fill", args=[scored.pk]),
        reverse("assessment:person", args=[case.supervisee.pk]),
        reverse("assessment:report_download", args=[intake.pk, "pdf"]),
        reverse("assessment:report_download", args=[intake.pk, "docx"]),
        reverse("assessment:start") + f"?supervisee={case.supervisee.pk}",
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (reverse("assessment:cancel", args=[scored.pk]), {"reason": "x"}),
        (reverse("assessment:override_request", args=[scored.pk]), {"to_level": "severe", "reason": "x" * 20}),
        (reverse("assessment:override_decide", args=[override.pk]), {"decision": "approve"}),
        (reverse("assessment:alert_acknowledge", args=[scored.pk, alert.pk]), {"action_note": "x"}),
        (reverse("assessment:report_issue", args=[scored.pk]), {}),
        (reverse("assessment:report_issue", args=[intake.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 404, url
    override.refresh_from_db()
    assert override.status == "pending"
    listing = client.get(reverse("assessment:index"))
    assert listing.status_code == 200 and "张三" not in listing.content.decode()
    assert "张三" not in client.get(reverse("assessment:overrides")).content.decode()
    assert "张三" not in client.get(reverse("assessment:deadlines")).content.decode()


def test_the_owner_sees_the_result_and_the_read_is_audited(
    client: Client, login: Any, case: Case, scored: Assessment
) -> None:
    login(client, case.officer)
    response = client.get(reverse("assessment:detail", args=[scored.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "轻度抑郁" in page and "危机项目" in page and "有不如死掉" in page
    entry = AuditEntry.objects.filter(
        action="view", object_type="assessment.assessment", object_id=str(scored.pk)
    ).get()
    assert entry.detail["sensitive"] is True and entry.username == case.officer.username


def test_an_assigned_social_worker_sees_it_and_a_role_without_the_right_does_not(
    client: Client, login: Any, case: Case, scored: Assessment, world: Any
) -> None:
    login(client, case.social_worker)
    assert _views(client, reverse("assessment:detail", args=[scored.pk])) == 200
    inspector = UserFactory(organisation=world.county_a, role=Role.INSPECTOR)
    login(client, inspector)
    assert _views(client, reverse("assessment:detail", args=[scored.pk])) == 403
    assert _views(client, reverse("assessment:index")) == 403


def test_list_shows_scope_and_audits_the_results_shown(
    client: Client, login: Any, case: Case, scored: Assessment
) -> None:
    login(client, case.colleague)
    page = client.get(reverse("assessment:index")).content.decode()
    assert "张三" in page and "轻度抑郁" in page
    assert AuditEntry.objects.filter(action="view", detail__list=[scored.pk]).exists()


def test_filling_in_with_drafts_live_skip_logic_and_errors(
    client: Client, login: Any, case: Case, instruments: dict[str, Instrument]
) -> None:
    login(client, case.officer)
    response = client.post(
        reverse("assessment:start"),
        {
            "supervisee": case.supervisee.pk,
            "instrument": instruments["phq9"].pk,
            "mode": "interview",
            "received_on": "2026-09-30",
        },
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response.url == reverse("assessment:fill", args=[assessment.pk])
    url = reverse("assessment:fill", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert 'id="q-phq10" hidden' in page  # the difficulty question waits for a ticked problem
    preview = client.post(url, {"phq1": "2", "action": "preview"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="q-phq10" hidden' not in preview and 'id="q-phq10"' in preview
    assessment.refresh_from_db()
    assert assessment.answers == {}  # a preview saves nothing
    client.post(url, {"phq1": "2", "phq2": "1", "action": "save"})
    assessment.refresh_from_db()
    assert assessment.answers == {"phq1": "2", "phq2": "1"}
    incomplete = client.post(url, {"phq1": "2", "phq2": "1", "action": "submit"}).content.decode()
    assert "此题必须回答。" in incomplete
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    answers = {**{f"phq{n}": "0" for n in range(1, 10)}, "phq1": "2", "phq2": "1", "phq10": "1", "action": "submit"}
    done = client.post(url, answers)
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.total_score) == (AssessmentStatus.SUBMITTED, 3)


def test_constraint_errors_show_on_the_page(client: Client, login: Any, case: Case) -> None:
    from ...services.instruments import import_instrument

    version = import_instrument(
        actor=case.actor(), content=small_instrument(), organisation=case.officer.organisation
    ).version
    assessment = start_assessment(actor=case.actor(), supervisee=case.supervisee, instrument=version)
    login(client, case.officer)
    page = client.post(reverse("assessment:fill", args=[assessment.pk]), {"a": "no", "c": "12", "action": "submit"})
    assert "请填0到10" in page.content.decode()


def test_override_and_approval_through_the_pages(client: Client, login: Any, case: Case, scored: Assessment) -> None:
    login(client, case.officer)
    client.post(
        reverse("assessment:override_request", args=[scored.pk]),
        {"to_level": "moderate", "reason": "访谈中多次流泪，近期丧偶，建议上调一级。"},
    )
    override = LevelOverride.objects.get()
    own = client.post(reverse("assessment:override_decide", args=[override.pk]), {"decision": "approve"})
    assert own.status_code == 302
    override.refresh_from_db()
    assert override.status == "pending"  # the requester cannot approve
    login(client, case.colleague)
    assert "申请人" in client.get(reverse("assessment:overrides")).content.decode()
    client.post(reverse("assessment:override_decide", args=[override.pk]), {"decision": "approve", "note": "同意"})
    scored.refresh_from_db()
    assert scored.level_label == "中度抑郁"
    page = client.get(reverse("assessment:detail", args=[scored.pk])).content.decode()
    assert "系统计算：轻度抑郁" in page


def test_acknowledging_a_critical_answer(client: Client, login: Any, case: Case, scored: Assessment) -> None:
    alert = CriticalAlert.objects.get(assessment=scored)
    login(client, case.social_worker)
    assert "待处置的危机项目" in client.get(reverse("workspace:tasks")).content.decode()
    client.post(
        reverse("assessment:alert_acknowledge", args=[scored.pk, alert.pk]),
        {"action_note": "已上门走访，转介心理咨询师。"},
    )
    alert.refresh_from_db()
    assert "待处置的危机项目" not in client.get(reverse("workspace:tasks")).content.decode()
    assert alert.acknowledged_by == case.social_worker and alert.action_note.startswith("已上门走访")


def test_issue_and_download_reports(client: Client, login: Any, case: Case, intake: Assessment) -> None:
    login(client, case.officer)
    client.post(reverse("assessment:report_issue", args=[intake.pk]))
    intake.refresh_from_db()
    assert intake.report.number.startswith("矫评〔")
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        response = client.get(reverse("assessment:report_download", args=[intake.pk, fmt]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(magic)  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="export", object_type="assessment.assessmentreport").count() == 2


def test_person_page_has_the_history_chart_and_the_reassessment_date(
    client: Client, login: Any, case: Case, intake: Assessment, scored: Assessment
) -> None:
    login(client, case.officer)
    page = client.get(reverse("assessment:person", args=[case.supervisee.pk])).content.decode()
    assert "<svg" in page and page.count("<circle") == 2  # one point per instrument so far
    assert "2027-03-30" in page  # standard level: 6 months after 2026-09-30
    assert AuditEntry.objects.filter(
        action="view", object_type="supervisees.supervisee", detail__page="assessment_history"
    ).exists()


def test_deadline_page_counts_per_month_and_warns_when_approximate(
    client: Client, login: Any, case: Case, instruments: dict[str, Instrument], world: Any
) -> None:
    on_time = take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["phq9"],
        answers={f"phq{n}": "0" for n in range(1, 10)},
        received_on=dt.date(2026, 9, 30),
    )
    issue_report(actor=case.actor(), assessment=on_time, issued_at=dt.datetime(2026, 10, 9, 9, tzinfo=dt.UTC))
    start_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"], received_on=dt.date(2026, 9, 29)
    )
    login(client, world.bureau_a)
    response = client.get(reverse("assessment:deadlines") + "?year=2026")
    figures = {m.month: m for m in response.context["figures"]}
    assert (figures[9].received, figures[9].issued_on_time, figures[9].overdue) == (2, 1, 1)
    assert "按时出具报告" in response.content.decode()
    CalendarDay.objects.filter(date__year=2026).delete()
    start_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["gad7"], received_on=dt.date(2026, 10, 8)
    )
    warned = client.get(reverse("assessment:deadlines") + "?year=2026").content.decode()
    assert "按周一至周五估算" in warned
    login(client, case.outsider)
    outsider = client.get(reverse("assessment:deadlines") + "?year=2026")
    assert sum(m.received for m in outsider.context["figures"]) == 0


def test_paper_import_page_lists_bad_rows(
    client: Client, login: Any, case: Case, instruments: dict[str, Instrument]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..conftest import workbook_bytes

    sheet = workbook_bytes({"s": [["矫正对象编号", "phq1"], [case.supervisee.pk, 9], [999999, 0]]})
    login(client, case.officer)
    response = client.post(
        reverse("assessment:paper_import"),
        {"instrument": instruments["phq9"].pk, "sheet": SimpleUploadedFile("问卷.xlsx", sheet)},
    )
    page = response.content.decode()
    assert "“9”不是可选答案" in page and "没有编号为 999999 的矫正对象" in page
    assert client.get(reverse("assessment:paper_template", args=[instruments["phq9"].pk])).status_code == 200


def test_instrument_pages(client: Client, login: Any, case: Case, instruments: dict[str, Instrument]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ...services.instruments import import_instrument

    own = import_instrument(
        actor=Actor(user=case.outsider), content=small_instrument(), organisation=case.outsider.organisation
    )
    login(client, case.officer)
    listing = client.get(reverse("assessment:instruments")).content.decode()
    assert "患者健康问卷" in listing and "示例，需本地校准" in listing and "测试量表" not in listing
    theirs = own.version.instrument_id
    for url in (
        reverse("assessment:instrument_detail", args=[theirs]),
        reverse("assessment:version_workbook", args=[theirs, own.version.pk]),
        reverse("assessment:paper_template", args=[theirs]),
        f"/api/v1/assessment/instruments/{theirs}/",
    ):
        assert client.get(url).status_code == 404, url
    detail = client.get(reverse("assessment:instrument_detail", args=[instruments["scl90"].pk])).content.decode()
    assert "第15项" in detail and "占位题目文字" in detail
    version = instruments["scl90"].current_version
    assert version is not None
    download = client.get(reverse("assessment:version_workbook", args=[instruments["scl90"].pk, version.pk]))
    assert download.status_code == 200 and download.content == bytes(version.workbook)
    bad = client.post(
        reverse("assessment:instrument_import"),
        {
            "workbook": SimpleUploadedFile("坏.xlsx", small_instrument(extra_survey=[["integer", "a", "重复题"]])),
            "for_my_organisation": "on",
        },
    )
    assert "名称“a”重复出现。" in bad.content.decode()
    good = client.post(
        reverse("assessment:instrument_import"),
        {"workbook": SimpleUploadedFile("好.xlsx", small_instrument()), "for_my_organisation": "on"},
    )
    assert good.status_code == 302
    assert Instrument.objects.filter(code="small", organisation=case.officer.organisation).exists()


def test_the_supervisee_sees_their_own_results_in_a_limited_view(
    client: Client, case: Case, scored: Assessment, supervisee_user: Any, instruments: dict[str, Instrument]
) -> None:
    intake = take_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["intake_example"], answers=INTAKE_ANSWERS
    )
    client.force_login(supervisee_user)
    mine = client.get(reverse("assessment:mine")).content.decode()
    assert "患者健康问卷" in mine and "轻度抑郁" in mine
    assert "初始风险与需求评估" not in mine  # risk levels are not shown to the person
    result = client.get(reverse("assessment:mine_result", args=[scored.pk])).content.decode()
    assert "轻度抑郁" in result and "社工会与你联系" in result
    assert "有不如死掉" not in result and "危机" not in result  # no item answers, no alerts
    assert AuditEntry.objects.filter(action="view", detail__page="own_result").exists()
    assert client.get(reverse("assessment:mine_result", args=[intake.pk])).status_code == 302
    assert client.get(reverse("assessment:detail", args=[scored.pk])).status_code == 403


def test_a_supervisee_cannot_see_another_persons_results(
    client: Client, case: Case, scored: Assessment, world: Any
) -> None:
    from zhengtu.testing.factories import make_supervisee

    other = make_supervisee(world.office_a)
    other.user = UserFactory(role=Role.SUPERVISEE, organisation=None)
    other.save(update_fields=["user"])
    client.force_login(other.user)
    assert client.get(reverse("assessment:mine_result", args=[scored.pk])).status_code == 404
    assert "轻度抑郁" not in client.get(reverse("assessment:mine")).content.decode()


def test_the_supervisee_fills_in_a_self_report(
    client: Client, case: Case, supervisee_user: Any, instruments: dict[str, Instrument]
) -> None:
    assessment = start_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["gad7"], mode=AssessmentMode.SELF_REPORT
    )
    client.force_login(supervisee_user)
    assert "广泛性焦虑量表" in client.get(reverse("assessment:mine")).content.decode()
    answers = {**{f"gad{n}": "1" for n in range(1, 8)}, "gad8": "1", "action": "submit"}
    response = client.post(reverse("assessment:mine_fill", args=[assessment.pk]), answers)
    assert response.status_code == 302 and response.url == reverse("assessment:mine")
    assessment.refresh_from_db()
    assert (assessment.total_score, assessment.level_label) == (7, "轻度焦虑")


def test_starting_finds_people_by_initials_and_accepts_anyone_in_scope(
    client: Client, login: Any, case: Case, instruments: dict[str, Instrument], world: Any
) -> None:
    from zhengtu.testing.factories import make_supervisee

    other = make_supervisee(world.office_a, name="李四")
    login(client, case.officer)
    found = client.get(reverse("assessment:start") + "?q=ls").content.decode()
    assert "李四" in found and "张三" not in found
    response = client.post(
        reverse("assessment:start") + "?q=ls",
        {
            "supervisee": case.supervisee.pk,
            "instrument": instruments["gad7"].pk,
            "mode": "interview",
            "received_on": "2026-10-09",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get().supervisee == case.supervisee
    refused = client.post(
        reverse("assessment:start"),
        {
            "supervisee": other.pk,
            "instrument": instruments["gad7"].pk,
            "mode": "interview",
            "received_on": "2099-01-01",
        },
    )
    assert "问卷收到日期不能晚于今天" in refused.content.decode()


def test_an_overflowing_instrument_filter_is_a_404_not_a_500(
    client: Client, login: Any, case: Case, scored: Assessment
) -> None:
    """Issue 16 item 15: ?instrument=99999999999999999999999 overflowed the database integer."""
    login(client, case.colleague)
    for value in ("99999999999999999999999", "²"):
        assert client.get(reverse("assessment:index") + f"?instrument={value}").status_code == 404
    assert client.get(reverse("assessment:start") + "?supervisee=99999999999999999999999").status_code == 404


def test_the_report_is_issued_by_a_job_whose_page_links_the_result_for_its_owner_only(
    client: Client, login: Any, case: Case, intake: Assessment
) -> None:
    login(client, case.officer)
    response = client.post(reverse("assessment:report_issue", args=[intake.pk]))
    job = case.officer.jobs.get(kind="assessment.report")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="done"' in page and "100%" in page
    pdf_url = reverse("assessment:report_download", args=[intake.pk, "pdf"])
    docx_url = reverse("assessment:report_download", args=[intake.pk, "docx"])
    assert f'id="job-result" href="{pdf_url}"' in page and docx_url in page
    intake.refresh_from_db()
    assert intake.report.number in page
    download = client.get(pdf_url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="create", object_type="assessment.assessmentreport").count() == 1
    assert AuditEntry.objects.filter(action="export", object_type="assessment.assessmentreport").count() == 1
    # Asking again makes a job that fails with the reason, and no second report.
    client.post(reverse("assessment:report_issue", args=[intake.pk]))
    again = case.officer.jobs.filter(kind="assessment.report").order_by("-pk").first()
    assert again is not None and again.status == "failed"
    assert "报告已出具" in client.get(again.get_absolute_url()).content.decode()
    # Another person, even of the same office, cannot open the job; an outsider cannot reach the report.
    login(client, case.colleague)
    assert client.get(job.get_absolute_url()).status_code == 404
    login(client, case.outsider)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(pdf_url).status_code == 404
