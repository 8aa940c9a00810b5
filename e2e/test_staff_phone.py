"""Officers visit homes with a phone: at 375 px the staff pages fit the screen and the menu folds away."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    people = [make_supervisee(office, responsible_officer=officer) for _ in range(12)]
    return {"officer": officer, "person": people[0]}


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the phone's screen (0 when nothing runs off the right edge)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_staff_pages_fit_a_phone_and_the_menu_opens_from_its_button(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    data = _setup()
    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True)
    sign_in_with_session(context, base, data["officer"])
    page = context.new_page()

    page.goto(f"{base}/")
    sidebar = page.locator("nav.sidebar")
    expect(sidebar).to_be_hidden()
    page.click("label.menu-button")
    expect(sidebar).to_be_visible()
    expect(sidebar.get_by_role("link", name="社区矫正对象", exact=True)).to_be_visible()

    person = data["person"]
    for path in (
        "/",
        "/tasks/",
        "/supervisees/",
        f"/supervisees/{person.pk}/",
        f"/supervision/supervisees/{person.pk}/",
        f"/supervision/supervisees/{person.pk}/leave/new/",
    ):
        page.goto(f"{base}{path}")
        expect(page.locator("main.content")).to_be_visible()
        assert _overflow(page) <= 0, f"{path} runs {_overflow(page)} px off a 375 px screen"
    context.close()
