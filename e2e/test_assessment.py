"""Journey: a social worker interviews a supervisee with PHQ-9 (the difficulty question appears only
once a problem is ticked, checked by the server as the page changes), submits it, the critical answer
reaches the responsible officer's tasks, the report is issued and downloaded as PDF; the supervisee
then looks up their own result."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf_text(path: Path) -> str:
    executable = shutil.which("pdftotext")
    assert executable, "poppler-utils is needed"
    return subprocess.run([executable, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.assessment.services.instruments import load_shipped_instruments
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.supervisees.models import Assignment, AssignmentRole
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee
    from zhengtu.workdays.calendar import load_year_from_chinesecalendar

    load_year_from_chinesecalendar(2026)
    load_shipped_instruments()
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    agency = make_org("溆浦县阳光社会工作服务中心", OrganisationKind.AGENCY, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    worker = UserFactory(organisation=agency, role=Role.SOCIAL_WORKER, full_name="向晓梅")
    person_account = UserFactory(role=Role.SUPERVISEE, organisation=None, full_name="王建华")
    supervisee = make_supervisee(office, name="王建华", responsible_officer=officer, term_start=dt.date(2026, 3, 2))
    supervisee.user = person_account
    supervisee.save(update_fields=["user"])
    Assignment.objects.create(supervisee=supervisee, user=worker, role=AssignmentRole.SOCIAL_WORKER)
    return {"officer": officer, "worker": worker, "supervisee": supervisee, "account": person_account}


def test_interview_critical_alert_report_and_own_result(
    browser: Any, live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    from zhengtu.assessment.models import Assessment

    data = _setup()
    base = live_server.url
    supervisee = data["supervisee"]

    worker_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    sign_in_with_session(worker_context, base, data["worker"])
    page = worker_context.new_page()

    # Start a PHQ-9 interview for the person.
    page.goto(f"{base}/assessment/new/?supervisee={supervisee.pk}")
    page.select_option("select[name=instrument]", label="患者健康问卷（PHQ-9）")
    page.fill("input[name=received_on]", "2026-09-30")
    page.click("form.panel button")
    page.wait_for_url("**/fill/**")

    # The difficulty question (phq10) is hidden until a problem is ticked; the server decides.
    assert page.locator("#q-phq10").is_hidden()
    page.check("input[name=phq1][value='2']")
    page.wait_for_selector("#q-phq10", state="visible")
    answers = {"phq2": "2", "phq3": "1", "phq4": "1", "phq5": "0", "phq6": "1", "phq7": "0", "phq8": "0", "phq9": "1"}
    for name, value in answers.items():
        # Each change is previewed by the server, which swaps the questions back in: wait for that answer.
        with page.expect_response(lambda response: "/fill/" in response.url):
            page.check(f"input[name={name}][value='{value}']")
    with page.expect_response(lambda response: "/fill/" in response.url):
        page.check("input[name=phq10][value='1']")
    page.click("button[name=action][value=submit]")
    expect(page.locator("body")).to_contain_text("危机项目")
    content = page.content()
    # 2+2+1+1+0+1+0+0+1 = 8: mild; item 9 answered 1 is a critical answer.
    assert "轻度抑郁" in content and "危机项目" in content
    assessment = Assessment.objects.get(supervisee=supervisee)
    assert assessment.total_score == 8
    assert assessment.due_on == dt.date(2026, 10, 10)

    # The responsible officer sees the critical answer among their tasks at once.
    officer_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(officer_context, base, data["officer"])
    officer_page = officer_context.new_page()
    officer_page.goto(f"{base}/tasks/")
    assert "待处置的危机项目" in officer_page.content()

    # The social worker issues the report and downloads the PDF.
    page.click("text=出具报告（Word 和 PDF）")
    # The report is rendered by a background job: its page shows the progress, then links the PDF.
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    result = page.locator("#job-result")
    expect(result).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        result.click()
    target = tmp_path / "report.pdf"
    info.value.save_as(str(target))
    text = _pdf_text(target)
    assert "心理测验与评估分析报告" in text and "王建华" in text and "轻度抑郁" in text

    # The supervisee looks up their own result: the level and a note, nothing more.
    person_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(person_context, base, data["account"])
    person = person_context.new_page()
    person.goto(f"{base}/assessment/mine/")
    person.click("text=患者健康问卷（PHQ-9）")
    expect(person.locator("body")).to_contain_text("社工会与你联系")
    own = person.content()
    assert "轻度抑郁" in own and "社工会与你联系" in own
    assert "有不如死掉" not in own
