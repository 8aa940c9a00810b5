"""Journey: an officer registers an intake and downloads the announcement, a bureau head approves a
12-day leave, and the execution file's export lists both documents in its table of contents."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf_text(path: Path) -> str:
    executable = shutil.which("pdftotext")
    assert executable, "poppler-utils is needed"
    return subprocess.run([executable, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    today = timezone.localdate()
    city = make_org("怀化市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU, city)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    colleague = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="向春花")
    head = UserFactory(organisation=county, role=Role.BUREAU_ADMIN, full_name="向建国")
    supervisee = make_supervisee(
        office, name="王建华", term_start=today - dt.timedelta(days=5), term_months=18, judgment_effective_date=today
    )
    return {"officer": officer, "colleague": colleague, "head": head, "supervisee": supervisee}


def _download(page: Any, selector: str, folder: Path, name: str) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    target = folder / name
    info.value.save_as(str(target))
    return target


def test_intake_announcement_leave_approval_and_archive(
    browser: Any, live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    from zhengtu.supervisees.models import Status, Supervisee
    from zhengtu.supervision.models import ApprovalStatus, LeaveRequest

    data = _setup()
    supervisee = data["supervisee"]
    base = live_server.url
    today = timezone.localdate()

    officer_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    sign_in_with_session(officer_context, base, data["officer"])
    page = officer_context.new_page()

    # The officer registers the intake on the page.
    page.goto(f"{base}/supervision/supervisees/{supervisee.pk}/intake/")
    page.fill("input[name=announcement_place]", "卢峰司法所宣告室")
    page.select_option("select[name=initial_level]", "strict")
    page.fill("textarea[name=correction_plan]", "每周到司法所报告一次，每月参加教育学习")
    page.select_option("select[name=team-1-role]", "family_member")
    page.fill("input[name=team-1-name]", "王秀英")
    page.click("form button[type=submit]")
    expect(page.locator("body")).to_contain_text("入矫登记完成")
    assert f"/supervision/supervisees/{supervisee.pk}/" in page.url
    supervisee = Supervisee.objects.get(pk=supervisee.pk)
    assert supervisee.status == Status.UNDER_SUPERVISION

    # ...and downloads the announcement: the PDF carries the supervisee's Chinese name.
    announcement = _download(page, "a[href$='/pdf/']", tmp_path, "announcement.pdf")
    text = _pdf_text(announcement)
    assert "王建华" in text and "社区矫正宣告书" in text

    # A 12-day leave: more than 7 days, so the office reviews and the county bureau decides.
    start = today + dt.timedelta(days=3)
    page.goto(f"{base}/supervision/supervisees/{supervisee.pk}/leave/new/")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", (start + dt.timedelta(days=11)).isoformat())
    page.fill("input[name=destination]", "广东省广州市天河区")
    page.fill("textarea[name=reason]", "参加亲属婚礼")
    page.click("form button[type=submit]")
    page.wait_for_url("**/supervision/approvals/*/")
    assert "县级社区矫正机构" in page.content()
    # Separation of duties: the filer is not offered the decision; his colleague takes the office step.
    page.wait_for_selector("[data-testid=filer-note]")
    assert page.locator("input[name=decision]").count() == 0
    colleague_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(colleague_context, base, data["colleague"])
    colleague = colleague_context.new_page()
    colleague.goto(page.url)
    colleague.check("input[name=decision][value=approve]")
    colleague.fill("textarea[name=comment]", "情况属实，同意上报")
    colleague.click("form.panel button[type=submit]")
    colleague.wait_for_selector("text=审批意见已记录")
    colleague_context.close()
    leave = LeaveRequest.objects.get(supervisee=supervisee)
    assert leave.days == 12
    assert leave.approval.status == ApprovalStatus.PENDING

    # The bureau head finds it waiting and approves it.
    head_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    sign_in_with_session(head_context, base, data["head"])
    head = head_context.new_page()
    head.goto(f"{base}/supervision/approvals/")
    head.click(f"a[href='/supervision/approvals/{leave.approval_id}/']")
    head.wait_for_url(f"**/supervision/approvals/{leave.approval_id}/")
    head.check("input[name=decision][value=approve]")
    head.fill("textarea[name=comment]", "同意外出")
    head.click("form.panel button[type=submit]")
    expect(head.locator("body")).to_contain_text("已批准")
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.APPROVED

    # The execution file exports as one PDF whose table of contents lists both documents.
    head.goto(f"{base}/supervision/supervisees/{supervisee.pk}/archive/")
    # The bundle is made by a background job; its page links the PDF when it is ready.
    head.click("form[data-archive=execution] button")
    head.wait_for_url(re.compile(r"/jobs/\d+/$"))
    expect(head.locator("#job-result")).to_be_visible(timeout=60_000)
    archive = _download(head, "#job-result", tmp_path, "execution.pdf")
    contents = _pdf_text(archive).split("\f")[0]
    assert "目录" in contents
    assert "社区矫正宣告书" in contents and "外出审批表" in contents
    for document in supervisee.documents.all():
        assert document.number in contents

    officer_context.close()
    head_context.close()
