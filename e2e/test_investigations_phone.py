"""The pre-sentence investigation pages on an officer's phone (375 px): nothing runs off the right edge, and
an officer records an interview from the phone and opens the documents that came with the commission."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


def _setup() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhengtu.accounts.roles import Role
    from zhengtu.audit.services import Actor
    from zhengtu.investigations.services import assign, receive_commission
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.testing.factories import UserFactory, make_identity_number, make_org

    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    bureau = UserFactory(organisation=county, role=Role.BUREAU_ADMIN, full_name="向建国")
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    investigation = receive_commission(
        actor=Actor(user=bureau),
        bureau=county,
        organ_kind="court",
        organ_name="溆浦县人民法院",
        commission_number="（2026）湘1224刑初188号委托函（关于被告人向某某拟适用社区矫正的调查评估委托）",
        received_on=dt.date.today() - dt.timedelta(days=1),
        person_name="向某某",
        person_type="defendant",
        crime="危险驾驶罪",
        proposed_sentence="probation",
        identity_number=make_identity_number("431224", dt.date(1990, 3, 4), 3, "male"),
        residence_address="溆浦县卢峰镇新华路3号附7栋2单元501室（租住，房东李某某）",
        documents=[SimpleUploadedFile("委托函.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
        document_titles=["调查评估委托函（2026）湘1224刑初188号"],
    )
    assign(actor=Actor(user=bureau), investigation=investigation, office=office)
    return {"bureau": bureau, "officer": officer, "investigation": investigation}


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the phone's screen (0 when nothing runs off the right edge)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _phone(browser: Any, base: str, user: Any) -> Any:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True)
    sign_in_with_session(context, base, user)
    return context


def test_investigation_pages_fit_a_phone_and_an_interview_is_recorded_from_it(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    data = _setup()
    base = live_server.url
    pk = data["investigation"].pk

    bureau_context = _phone(browser, base, data["bureau"])
    bureau = bureau_context.new_page()
    for path in (
        "/investigations/",
        "/investigations/new/",
        f"/investigations/{pk}/",
        f"/investigations/{pk}/documents/",
    ):
        bureau.goto(f"{base}{path}")
        expect(bureau.locator("main.content h1")).to_be_visible()
        assert _overflow(bureau) <= 0, f"{path} runs {_overflow(bureau)} px off a 375 px screen"
    bureau_context.close()

    context = _phone(browser, base, data["officer"])
    page = context.new_page()
    page.goto(f"{base}/investigations/{pk}/")
    expect(page.locator("form#interview")).to_be_visible()
    assert _overflow(page) <= 0, f"the detail page runs {_overflow(page)} px off a 375 px screen"
    page.select_option("form#interview select[name=kind]", "family")
    page.fill("form#interview input[name=person]", "母亲李某某")
    page.fill("form#interview textarea[name=notes]", "愿意监护，家中有独立房间。")
    page.click("form#interview button[type=submit]")
    expect(page.locator("table.data")).to_contain_text("母亲李某某")
    assert _overflow(page) <= 0

    # The documents that came with the commission, listed and downloaded on the phone.
    page.click("[data-testid=documents-page]")
    page.wait_for_url(f"**/investigations/{pk}/documents/")
    link = page.locator("[data-testid=document-link]")
    expect(link).to_have_count(1)
    assert _overflow(page) <= 0
    response = page.request.get(f"{base}{link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    context.close()
