"""Volunteer registry, assignments, hours, professional development and studios, with outsider tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.juvenile.services.sealing import seal_case
from zhengtu.juvenile.tests.conftest import Juvenile, accepted
from zhengtu.supervision.models import TeamMember, TeamRole
from zhengtu.testing.factories import make_supervisee
from zhengtu.volunteers import services
from zhengtu.volunteers.models import Volunteer
from zhengtu.volunteers.selectors import development_overview


def volunteer(juv: Juvenile, **overrides: object) -> Volunteer:
    fields: dict[str, object] = {
        "organisation": juv.agency_a,
        "name": "陈志愿",
        "phone": "13700002222",
        "skills": "心理陪伴、课业辅导",
        "availability": "周末",
        "background_checked_on": timezone.localdate() - dt.timedelta(days=100),
        "training_hours": Decimal("12"),
    }
    fields.update(overrides)
    return services.register_volunteer(actor=Actor(user=juv.worker), **fields)  # type: ignore[arg-type]


def test_assign_to_a_juvenile_case_log_hours_and_confirm(juv: Juvenile) -> None:
    case = accepted(juv)
    person = volunteer(juv)
    assignment = services.assign_volunteer(
        actor=Actor(user=juv.worker), volunteer=person, juvenile_case=case, task="每周课业辅导"
    )
    entry = services.log_hours(
        actor=Actor(user=juv.worker),
        assignment=assignment,
        worked_on=timezone.localdate(),
        hours=Decimal("2.5"),
        activity="课业辅导",
    )
    with pytest.raises(ValidationError):  # whoever logged does not confirm
        services.confirm_hours(actor=Actor(user=juv.worker), entry=entry)
    services.confirm_hours(actor=Actor(user=juv.manager), entry=entry)
    entry.refresh_from_db()
    assert entry.confirmed_by == juv.manager
    with pytest.raises(ValidationError):
        services.log_hours(
            actor=Actor(user=juv.worker),
            assignment=assignment,
            worked_on=timezone.localdate(),
            hours=Decimal("80"),
            activity="x",
        )


def test_children_need_a_recent_background_check(juv: Juvenile) -> None:
    case = accepted(juv)
    unchecked = volunteer(juv, name="未审查", background_checked_on=None)
    with pytest.raises(ValidationError, match="背景审查|background"):
        services.assign_volunteer(actor=Actor(user=juv.worker), volunteer=unchecked, juvenile_case=case, task="陪伴")


def test_assignment_to_a_correction_team_adds_a_linked_team_member(juv: Juvenile) -> None:
    supervisee = make_supervisee(juv.office_a)
    person = volunteer(juv, organisation=juv.office_a)
    assignment = services.assign_volunteer(
        actor=Actor(user=juv.officer_a), volunteer=person, supervisee=supervisee, task="协助走访"
    )
    member = TeamMember.objects.get(supervisee=supervisee)
    assert member.role == TeamRole.VOLUNTEER and member.name == "陈志愿"
    assert assignment.team_member == member and member.volunteer_link == assignment  # type: ignore[attr-defined]


def test_sealed_case_assignments_are_sealed_with_it(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    case = accepted(juv)
    person = volunteer(juv)
    services.assign_volunteer(actor=Actor(user=juv.worker), volunteer=person, juvenile_case=case, task="陪伴")
    login(client, juv.colleague)
    assert case.number in client.get(reverse("volunteers:detail", args=[person.pk])).content.decode()
    seal_case(actor=Actor(user=juv.worker), case=case, basis="依法封存")
    page = client.get(reverse("volunteers:detail", args=[person.pk])).content.decode()
    assert case.number not in page
    login(client, juv.worker)
    assert case.number in client.get(reverse("volunteers:detail", args=[person.pk])).content.decode()


def test_training_shortfall_against_the_yearly_requirement(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    services.record_training(
        actor=Actor(user=juv.manager),
        worker=juv.worker,
        attended_on=today,
        topic="未成年人司法社工实务",
        hours=Decimal(20),
    )
    rows = {row.worker.pk: row for row in development_overview(juv.manager, today.year)}
    assert rows[juv.worker.pk].hours == 20 and rows[juv.worker.pk].shortfall == 12
    assert rows[juv.colleague.pk].shortfall == 32
    with override_settings(ZHENGTU_RULES={"juvenile_worker_training_hours_per_year": 40}):
        rows = {row.worker.pk: row for row in development_overview(juv.manager, today.year)}
        assert rows[juv.worker.pk].shortfall == 20
    login(client, juv.manager)
    page = client.get(reverse("volunteers:development")).content.decode()
    assert juv.worker.display_name in page and "12" in page
    with pytest.raises(PermissionDenied):
        services.record_training(
            actor=Actor(user=juv.manager), worker=juv.worker_b, attended_on=today, topic="x", hours=Decimal(1)
        )


def test_supervision_session_and_studio_page(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    services.record_supervision_session(
        actor=Actor(user=juv.manager),
        supervisor_name="黄督导",
        held_on=timezone.localdate(),
        hours=Decimal(2),
        topic="个案督导",
        workers=[juv.worker, juv.colleague],
    )
    studio = services.create_studio(actor=Actor(user=juv.manager), organisation=juv.agency_a, name="青禾名师工作室")
    services.add_studio_member(actor=Actor(user=juv.manager), studio=studio, name="周教授", role="lead")
    services.add_studio_output(
        actor=Actor(user=juv.manager), studio=studio, title="未成年人社会调查实务手册", kind="手册",
        produced_on=timezone.localdate(),
    )  # fmt: skip
    case = accepted(juv)
    services.link_studio_case(actor=Actor(user=juv.worker), studio=studio, case=case)
    login(client, juv.manager)
    assert "个案督导" in client.get(reverse("volunteers:development")).content.decode()
    page = client.get(reverse("volunteers:studio", args=[studio.pk])).content.decode()
    assert "周教授" in page and "实务手册" in page and case.number in page
    seal_case(actor=Actor(user=juv.worker), case=case, basis="依法封存")
    assert case.number not in client.get(reverse("volunteers:studio", args=[studio.pk])).content.decode()


def test_outsiders_see_nothing(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    case = accepted(juv)
    person = volunteer(juv)
    assignment = services.assign_volunteer(
        actor=Actor(user=juv.worker), volunteer=person, juvenile_case=case, task="陪伴"
    )
    entry = services.log_hours(
        actor=Actor(user=juv.worker), assignment=assignment, worked_on=timezone.localdate(), hours=Decimal(1),
        activity="陪伴",
    )  # fmt: skip
    studio = services.create_studio(actor=Actor(user=juv.manager), organisation=juv.agency_a, name="青禾名师工作室")
    login(client, juv.worker_b)
    assert client.get(reverse("volunteers:detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("volunteers:assign", args=[person.pk])).status_code == 404
    assert client.post(reverse("volunteers:hours_log", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("volunteers:hours_confirm", args=[entry.pk])).status_code == 404
    assert client.get(reverse("volunteers:studio", args=[studio.pk])).status_code == 404
    assert "陈志愿" not in client.get(reverse("volunteers:list")).content.decode()
    assert "青禾" not in client.get(reverse("volunteers:studios")).content.decode()
    assert juv.worker.display_name not in client.get(reverse("volunteers:development")).content.decode()
    assert client.get(reverse("api-volunteers")).json()["results"] == []
    login(client, juv.prosecutor_a)
    assert client.get(reverse("volunteers:list")).status_code == 403
    assert client.get(reverse("api-volunteers")).status_code == 403
    login(client, juv.worker)
    assert [v["name"] for v in client.get(reverse("api-volunteers")).json()["results"]] == ["陈志愿"]


def test_page_journey_register_assign_and_log(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    case = accepted(juv)
    login(client, juv.worker)
    response = client.post(
        reverse("volunteers:new"),
        {"organisation": juv.agency_a.pk, "name": "林志愿", "skills": "绘画", "training_hours": "4",
         "background_checked_on": (timezone.localdate() - dt.timedelta(days=30)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    person = Volunteer.objects.get(name="林志愿")
    assert person.phone_masked == ""
    response = client.post(
        reverse("volunteers:assign", args=[person.pk]), {"juvenile_case": case.pk, "task": "绘画陪伴"}
    )
    assert response.status_code == 302
    assignment = person.assignments.get()
    client.post(
        reverse("volunteers:hours_log", args=[assignment.pk]),
        {"worked_on": timezone.localdate().isoformat(), "hours": "3", "activity": "绘画小组"},
    )
    assert assignment.hours.get().hours == 3
    # Both targets at once is refused with a message, nothing saved.
    response = client.post(
        reverse("volunteers:assign", args=[person.pk]),
        {"juvenile_case": case.pk, "supervisee": "", "task": ""},
    )
    assert response.status_code == 200 and person.assignments.count() == 1
