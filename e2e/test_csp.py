"""Pages work under the real Content-Security-Policy (issue 16, medium 12): no bypass here.

The nonce'd inline script of the service record form runs (it fills in the attendee count), the
language menu submits itself through behaviours.js (it used an inline onchange= before), and no
page logs a CSP violation.
"""

from __future__ import annotations

from typing import Any

from e2e.conftest import sign_in_with_session


def test_pages_work_under_the_policy(live_server: Any, browser: Any, transactional_db: None) -> None:
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.testing.factories import UserFactory, make_org

    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    agency = make_org("溆浦县阳光社会工作服务中心", OrganisationKind.AGENCY, county)
    worker = UserFactory(organisation=agency, role=Role.SOCIAL_WORKER)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")  # CSP enforced
    sign_in_with_session(context, live_server.url, worker)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_server.url}/services/new/")
    page.wait_for_selector("#attendee-count:has-text('(0)')")  # the inline script ran with its nonce
    page.select_option("select[name=language]", "en")
    page.wait_for_selector("html[lang=en]")  # submitted by behaviours.js, no inline handler
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("main")
    assert violations == []
    context.close()
