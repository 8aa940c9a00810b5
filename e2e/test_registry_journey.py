"""Issue 2's journey: log in with TOTP, find a supervisee by pinyin, open the detail, see the
masked identity number, reveal it, and find the reveal in the audit log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from zhengtu.accounts.roles import Role
from zhengtu.orgs.models import OrganisationKind
from zhengtu.testing.factories import make_org, make_supervisee


@pytest.mark.django_db(transaction=True)
def test_officer_finds_reveals_and_the_bureau_sees_it_audited(live_server, page, staff_with_totp):
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    other_office = make_org("桥江司法所", OrganisationKind.JUSTICE_OFFICE, county)
    person = make_supervisee(office, name="张三丰")
    make_supervisee(office, name="李四")
    make_supervisee(other_office, name="张小山")  # same initials, outside the officer's office
    officer, password, key = staff_with_totp(username="officer_e2e", organisation=office, role=Role.OFFICE_OFFICER)
    full_id = person.identity_number

    login(page, live_server.url, officer.username, password, key)
    page.goto(f"{live_server.url}/supervisees/")
    page.fill("#id_q", "zsf")
    page.press("#id_q", "Enter")
    results = page.locator("#results")
    expect(results).to_contain_text("张三丰")
    expect(results).not_to_contain_text("李四")
    expect(results).not_to_contain_text("张小山")

    results.get_by_role("link", name="张三丰").click()
    identity = page.locator("#identity-number")
    expect(identity).to_contain_text(person.identity_number_masked)
    expect(identity).not_to_contain_text(full_id)
    identity.get_by_role("button").click()
    expect(identity).to_contain_text(full_id)

    bureau, bureau_password, bureau_key = staff_with_totp(
        username="bureau_e2e", organisation=county, role=Role.BUREAU_ADMIN
    )
    page.context.clear_cookies()
    login(page, live_server.url, bureau.username, bureau_password, bureau_key)
    page.goto(f"{live_server.url}/audit/?action=reveal")
    rows = page.locator("table.data tbody tr")
    expect(rows.filter(has_text="officer_e2e").filter(has_text=re.compile("张三丰"))).to_have_count(1)
