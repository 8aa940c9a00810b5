"""Journeys of the statutory workflow: a court's commission is investigated and answered; an officer files a
经常性跨市县活动 request that his colleague and the bureau approve."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.audit.services import Actor
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.supervision.services.intake import register_intake
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    today = timezone.localdate()
    city = make_org("怀化市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU, city)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    colleague = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="向春花")
    head = UserFactory(organisation=county, role=Role.BUREAU_ADMIN, full_name="向建国")
    supervisee = make_supervisee(office, name="李建军", term_start=today - dt.timedelta(days=40), term_months=18)
    register_intake(
        actor=Actor(user=officer),
        supervisee=supervisee,
        reported_on=today - dt.timedelta(days=35),
        initial_level="standard",
        announced_on=today - dt.timedelta(days=35),
        announcement_place="卢峰司法所宣告室",
    )
    return {"office": office, "officer": officer, "colleague": colleague, "head": head, "supervisee": supervisee}


def _context(browser: Any, base: str, user: Any) -> tuple[Any, Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(context, base, user)
    return context, context.new_page()


def test_a_commission_is_investigated_and_answered(browser: Any, live_server: Any, transactional_db: None) -> None:
    from zhengtu.investigations.models import Investigation, InvestigationStatus

    data = _setup()
    base = live_server.url
    today = timezone.localdate()
    head_context, head = _context(browser, base, data["head"])

    # The bureau registers the court's commission.
    head.goto(f"{base}/investigations/new/")
    head.select_option("select[name=organ_kind]", "court")
    head.fill("input[name=organ_name]", "溆浦县人民法院")
    head.fill("input[name=commission_number]", "（2026）湘1224刑初188号")
    head.fill("input[name=person_name]", "向某某")
    head.select_option("select[name=person_type]", "defendant")
    head.fill("input[name=crime]", "危险驾驶罪")
    head.select_option("select[name=proposed_sentence]", "probation")
    head.click("form.panel button[type=submit]")
    head.wait_for_url("**/investigations/*/")
    head.wait_for_selector("text=委托已登记")
    investigation = Investigation.objects.get()
    assert investigation.due_on.isoformat() in head.inner_text("[data-testid=due]")

    # ...and assigns it to the justice office.
    head.select_option("#assign select[name=office]", str(data["office"].pk))
    head.click("#assign button[type=submit]")
    head.wait_for_selector("text=已指派司法所")

    # The office interviews the family and writes its opinion.
    officer_context, page = _context(browser, base, data["officer"])
    page.goto(f"{base}/investigations/{investigation.pk}/")
    page.select_option("#interview select[name=kind]", "family")
    page.fill("#interview input[name=person]", "父亲向某")
    page.fill("#interview input[name=held_on]", today.isoformat())
    page.fill("#interview textarea[name=notes]", "家庭和睦，愿意协助监督")
    page.click("#interview button[type=submit]")
    page.wait_for_selector("text=走访已登记")
    page.fill("#opinion textarea[name=home_circumstances]", "与父母同住，有固定住所")
    page.fill("#opinion textarea[name=attitude]", "认罪认罚")
    page.select_option("#opinion select[name=opinion]", "suitable")
    page.fill("#opinion textarea[name=opinion_text]", "具备社区矫正条件")
    page.click("#opinion button[type=submit]")
    page.wait_for_selector("text=评估意见已报社区矫正机构")

    # The bureau approves: the opinion is issued and sent back.
    head.goto(f"{base}/investigations/{investigation.pk}/")
    head.select_option("#decision select[name=decision]", "approve")
    head.click("#decision button[type=submit]")
    head.wait_for_selector("[data-testid=status]:has-text('已反馈')")
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.ANSWERED
    assert investigation.document is not None and investigation.document.number in head.content()
    officer_context.close()
    head_context.close()


def test_a_cross_city_request_is_filed_and_approved(browser: Any, live_server: Any, transactional_db: None) -> None:
    from zhengtu.supervision.models import ApprovalStatus, Permit

    data = _setup()
    base = live_server.url
    supervisee = data["supervisee"]
    start = timezone.localdate() + dt.timedelta(days=2)

    officer_context, page = _context(browser, base, data["officer"])
    page.goto(f"{base}/supervision/supervisees/{supervisee.pk}/")
    page.click("summary:has-text('其他审批事项')")
    page.click("a:has-text('经常性跨市县活动')")
    page.wait_for_url("**/requests/cross_city/new/")
    assert "6个月" in page.content()
    page.fill("input[name=subject]", "怀化市鹤城区、长沙市")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", (start + dt.timedelta(days=120)).isoformat())
    page.fill("textarea[name=reason]", "经营物流生意，需经常往返两地")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/supervision/approvals/*/")
    page.wait_for_selector("[data-testid=filer-note]")
    url = page.url

    colleague_context, colleague = _context(browser, base, data["colleague"])
    colleague.goto(url)
    colleague.check("input[name=decision][value=approve]")
    colleague.click("form.panel button[type=submit]")
    colleague.wait_for_selector("text=审批意见已记录")

    head_context, head = _context(browser, base, data["head"])
    head.goto(f"{base}/supervision/approvals/")
    head.click(f"a[href='{url.replace(base, '')}']")
    head.check("input[name=decision][value=approve]")
    head.fill("textarea[name=comment]", "同意，有效期内每月报告活动情况")
    head.click("form.panel button[type=submit]")
    head.wait_for_selector("h1 .tag:has-text('已批准')")
    permit = Permit.objects.get(supervisee=supervisee)
    assert permit.approval.status == ApprovalStatus.APPROVED
    assert supervisee.documents.filter(code="supervision.cross_city_approval").exists()
    for context in (officer_context, colleague_context, head_context):
        context.close()
