"""Journey: a social worker records a group education session with 12 attendees on the page; the
project's progress and each attendee's monthly hours change accordingly."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import sign_in_with_session


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.audit.services import Actor
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.projects import services
    from zhengtu.projects.models import StaffRole
    from zhengtu.supervisees.models import Assignment, AssignmentRole, Status, Supervisee, SupervisionLevel
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    today = timezone.localdate()
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    agency = make_org("溆浦县德馨社会工作服务中心", OrganisationKind.AGENCY, county)
    bureau = UserFactory(organisation=county, role=Role.BUREAU_ADMIN)
    worker = UserFactory(organisation=agency, role=Role.SOCIAL_WORKER, full_name="张晓燕")
    project = services.create_project(
        actor=Actor(user=bureau),
        name=f"溆浦县司法局{today.year}年社区矫正购买服务项目",
        buying_bureau=county,
        agency=agency,
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        contract_amount=Decimal("890980"),
    )
    services.add_staff(actor=Actor(user=bureau), project=project, user=worker, role=StaffRole.SOCIAL_WORKER)
    services.set_target(
        actor=Actor(user=bureau),
        project=project,
        indicator="education_sessions",
        period_start=project.period_start,
        period_end=project.period_end,
        target_value=156,
    )
    people = []
    for _ in range(14):
        person = make_supervisee(
            office,
            supervision_level=SupervisionLevel.STRICT,
            term_start=today - dt.timedelta(days=60),
            term_months=12,
        )
        Supervisee.objects.filter(pk=person.pk).update(status=Status.UNDER_SUPERVISION)
        people.append(person)
    Assignment.objects.bulk_create(
        [Assignment(supervisee=p, user=worker, role=AssignmentRole.SOCIAL_WORKER) for p in people]
    )
    return {"project": project, "worker": worker, "attendees": people[:12], "absent": people[12:]}


def _education_done(page: Any, base_url: str, project_id: int) -> str:
    page.goto(f"{base_url}/projects/{project_id}/")
    return str(page.locator("tr[data-indicator=education_sessions] td.actual").inner_text()).strip()


def _study_hours(page: Any, base_url: str, person_id: int) -> str:
    page.goto(f"{base_url}/services/people/{person_id}/")
    return str(page.locator("#month-hours tr[data-category=study] td.done").inner_text()).strip()


@pytest.mark.django_db(transaction=True)
def test_a_group_session_with_12_attendees_moves_progress_and_hours(live_server: Any, context: Any) -> None:
    data = _setup()
    base_url = live_server.url
    sign_in_with_session(context, base_url, data["worker"])
    page = context.new_page()
    project = data["project"]

    assert _education_done(page, base_url, project.pk) == "0"
    assert _study_hours(page, base_url, data["attendees"][0].pk) == "0.0"

    page.goto(f"{base_url}/services/new/?kind=education&project={project.pk}")
    page.select_option("select[name=mode]", "group")
    page.fill("input[name=topic]", "宪法与民法典学习")
    page.fill("input[name=lecturer]", "李律师")
    page.fill("input[name=place]", "县司法局教育中心")
    page.fill("input[name=duration_hours]", "2")
    for person in data["attendees"]:
        # By the checkbox's value: Faker may give one person's name inside another's (王芳 / 王芳芳).
        page.check(f'.attendees input[value="{person.pk}"]')
    assert page.locator("#attendee-count").inner_text() == "(12)"
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/services/records/\d+/$"))
    assert "共12名社区矫正对象参加" in page.locator(".messages").inner_text()

    assert _education_done(page, base_url, project.pk) == "1"
    for person in data["attendees"]:
        assert _study_hours(page, base_url, person.pk) == "2.0", person.name
    assert _study_hours(page, base_url, data["absent"][0].pk) == "0.0"
