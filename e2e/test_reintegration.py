"""Help with returning to society on an officer's phone (375 px): record a need, refer it, close it placed in a job,
and see the placement on the correction plan. Every page fits the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _fits(page: Any) -> None:
    expect(page.locator("main.content")).to_be_visible()
    assert _overflow(page) <= 0, f"{page.url} runs {_overflow(page)} px off a 375 px screen"


def test_an_officer_records_refers_and_closes_a_need_on_a_phone(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.supervisees.models import Status, Supervisee
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    person = make_supervisee(office, name="王建华", responsible_officer=officer)
    Supervisee.objects.filter(pk=person.pk).update(status=Status.UNDER_SUPERVISION)

    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True)
    sign_in_with_session(context, base, officer)
    page = context.new_page()

    page.goto(f"{base}/supervisees/{person.pk}/")
    expect(page.locator("#reintegration-panel")).to_contain_text("暂无帮扶需求")
    _fits(page)
    page.locator("#reintegration-panel").get_by_role("link", name="登记需求").click()
    page.wait_for_url(f"**/reintegration/supervisees/{person.pk}/new/")
    _fits(page)
    page.select_option("select[name=kind]", "employment_guidance")
    page.fill("textarea[name=description]", "出矫后待业，希望就近就业")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/reintegration/needs/*/")
    expect(page.locator("h1")).to_contain_text("就业指导")
    expect(page.locator("h1")).to_contain_text("待转介")
    _fits(page)

    page.get_by_role("link", name="转介", exact=True).click()
    page.wait_for_url("**/refer/")
    _fits(page)
    page.select_option("select[name=agency_kind]", "employer")
    page.fill("input[name=agency_name]", "溆浦县湘农农业开发有限公司")
    page.fill("input[name=contact_phone]", "13974510021")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/reintegration/needs/*/")
    expect(page.locator("#referrals")).to_contain_text("溆浦县湘农农业开发有限公司")
    expect(page.locator("#referrals")).not_to_contain_text("13974510021")
    _fits(page)

    page.get_by_role("link", name="登记结果").click()
    page.wait_for_url("**/outcome/")
    page.select_option("select[name=outcome]", "employed")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/reintegration/needs/*/")
    expect(page.locator("#outcome")).to_contain_text("已就业")
    expect(page.locator("#need-actions")).to_have_count(0)

    page.goto(f"{base}/supervision/supervisees/{person.pk}/plan/")
    expect(page.locator("#plan-placements")).to_contain_text("1项培训或就业安置计入矫正方案")
    _fits(page)
    page.goto(f"{base}/reintegration/?status=closed")
    expect(page.locator("#needs")).to_contain_text("王建华")
    _fits(page)
    context.close()
