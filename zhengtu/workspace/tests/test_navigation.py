"""The sidebar offers a page only when that page opens for the person: every role, every menu entry."""

from __future__ import annotations

import re

import pytest

from zhengtu.accounts.roles import Role
from zhengtu.orgs.models import OrganisationKind
from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

pytestmark = pytest.mark.django_db

NAV_LINK = re.compile(r'<nav class="sidebar"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def _tree() -> dict[str, object]:
    city = make_org("怀化市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU, city)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    return {
        "city_bureau": city,
        "county_bureau": county,
        "justice_office": office,
        "agency": make_org("溆浦县阳光社会工作服务中心", OrganisationKind.AGENCY, county),
        "association": make_org("怀化市司法矫治协会", OrganisationKind.ASSOCIATION, city),
        "procuratorate": make_org("溆浦县人民检察院", OrganisationKind.PROCURATORATE, county),
        "command_center": make_org("溆浦县社区矫正指挥中心", OrganisationKind.COMMAND_CENTER, county),
    }


def _home_for(role: str, tree: dict[str, object]) -> object:
    from zhengtu.accounts.roles import ROLE_ORGANISATION_KINDS

    for kind in ("justice_office", "county_bureau", "agency", "association", "procuratorate", "command_center"):
        if kind in ROLE_ORGANISATION_KINDS.get(role, frozenset()):
            return tree[kind]
    return None


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SUPERVISEE])
def test_every_menu_entry_opens_for_the_role_that_sees_it(client, login, role: str) -> None:
    tree = _tree()
    make_supervisee(tree["justice_office"], name="王建华")  # type: ignore[arg-type]
    user = UserFactory(role=role, organisation=_home_for(role, tree))
    login(client, user)
    home = client.get("/")
    assert home.status_code == 200
    match = NAV_LINK.search(home.content.decode())
    assert match, "the home page shows the sidebar"
    links = HREF.findall(match.group(1))
    assert links, f"{role} has at least one menu entry"
    refused = [(url, status) for url in links if (status := client.get(url).status_code) in (403, 404, 500)]
    assert refused == [], f"{role} is offered pages that refuse them: {refused}"


def test_a_supervisee_sees_no_staff_menu(client) -> None:
    tree = _tree()
    person = make_supervisee(tree["justice_office"], name="李四")  # type: ignore[arg-type]
    account = UserFactory(role=Role.SUPERVISEE, organisation=None)
    person.user = account
    person.save(update_fields=["user"])
    client.force_login(account)
    for url in ("/", "/tasks/"):
        response = client.get(url, follow=True)
        page = response.content.decode()
        match = NAV_LINK.search(page)
        for href in HREF.findall(match.group(1)) if match else []:
            assert client.get(href).status_code not in (403, 500), href
