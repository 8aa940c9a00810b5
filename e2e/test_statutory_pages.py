"""On a 375 px phone an officer records an appraisal and works a search for a person out of contact; neither page
runs off the screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.audit.services import Actor
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.supervision.services.absconding import open_search
    from zhengtu.supervision.services.appraisal import record_appraisal
    from zhengtu.supervision.services.intake import register_intake
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    today = timezone.localdate()
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    UserFactory(organisation=county, role=Role.BUREAU_ADMIN, full_name="向建国")
    person = make_supervisee(office, name="李建军", term_start=today - dt.timedelta(days=100), term_months=18)
    missing = make_supervisee(office, name="张小红", term_start=today - dt.timedelta(days=100), term_months=18)
    for supervisee in (person, missing):
        register_intake(
            actor=Actor(user=officer),
            supervisee=supervisee,
            reported_on=today - dt.timedelta(days=95),
            initial_level="standard",
            announced_on=today - dt.timedelta(days=95),
            announcement_place="卢峰司法所宣告室",
        )
    previous = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    record_appraisal(
        actor=Actor(user=officer), supervisee=person, period="month", period_start=previous, score=55, notes="迟到两次"
    )
    open_search(
        actor=Actor(user=officer),
        supervisee=missing,
        trigger="not_found",
        lost_contact_at=timezone.now() - dt.timedelta(hours=30),
        notes="走访时不在家中",
    )
    return {"officer": officer, "person": person, "missing": missing}


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the phone's screen (0 when nothing runs off the right edge)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_appraisal_and_search_pages_work_on_a_phone(browser: Any, live_server: Any, transactional_db: None) -> None:
    data = _setup()
    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True)
    sign_in_with_session(context, base, data["officer"])
    page = context.new_page()

    # A second poor month: the appraisals suggest strict supervision, which the officer applies.
    appraisals = f"{base}/supervision/supervisees/{data['person'].pk}/appraisals/"
    page.goto(appraisals)
    expect(page.locator("h1")).to_have_text("考核")
    assert _overflow(page) <= 0, f"the appraisal page runs {_overflow(page)} px off a 375 px screen"
    page.fill("input[name=score]", "150")
    page.click("form.panel button[type=submit]")
    expect(page.locator(".errorlist").first).to_contain_text("得分应在0到100之间")
    page.fill("input[name=score]", "52")
    page.fill("textarea[name=notes]", "未按时提交思想汇报")
    page.click("form.panel button[type=submit]")
    page.wait_for_url(appraisals)
    expect(page.locator("[data-testid=appraisals]")).to_contain_text("未按时提交思想汇报")
    assert _overflow(page) <= 0
    page.click("[data-testid=apply-level]")
    page.wait_for_url(appraisals)
    expect(page.locator("[data-testid=appraisals]")).to_contain_text("已采纳")
    expect(page.locator(".toolbar .tag.strict")).to_be_visible()

    # The search under way: its overdue first step shows, the officer records what was done and tells the police.
    search = f"{base}/supervision/supervisees/{data['missing'].pk}/search/"
    page.goto(search)
    expect(page.locator("[data-testid=search-alert]").first).to_contain_text("24")
    assert _overflow(page) <= 0, f"the search page runs {_overflow(page)} px off a 375 px screen"
    step = page.locator("form.panel", has=page.locator("input[name=action][value=step]"))
    step.locator("select[name=kind]").select_option("family")
    step.locator("textarea[name=notes]").fill("其母亲称其去长沙务工")
    step.locator("button[type=submit]").click()
    page.wait_for_url(search)
    expect(page.locator("table.data").first).to_contain_text("其母亲称其去长沙务工")
    police = page.locator("form.panel", has=page.locator("input[name=action][value=police]"))
    police.locator("input[name=police_station]").fill("卢峰派出所")
    police.locator("button[type=submit]").click()
    page.wait_for_url(search)
    expect(page.locator("dl.fields")).to_contain_text("卢峰派出所")
    assert _overflow(page) <= 0
    context.close()
