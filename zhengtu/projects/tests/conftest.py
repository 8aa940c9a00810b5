"""Fixtures of the projects tests: a county project with its agency staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import OrganisationKind
from zhengtu.projects import services
from zhengtu.projects.models import ServiceProject, StaffRole
from zhengtu.supervisees.models import Assignment, AssignmentRole, Status, Supervisee, SupervisionLevel
from zhengtu.testing.factories import UserFactory, make_org, make_supervisee


@dataclass
class ProjectWorld:
    project: ServiceProject
    manager: User  # agency_manager of the project's agency
    worker: User  # social worker of the agency, staff of the project
    colleague: User  # another social worker of the same agency
    supervisor: User  # the project's supervisor (督导), from the agency's head office
    bureau: User  # county A bureau admin (buyer)
    other_agency_manager: User  # manager of another agency under the same bureau
    outsider: User  # county B bureau admin


def actor(user: User) -> Actor:
    return Actor(user=user, ip_address="127.0.0.1")


@pytest.fixture
def pw(world) -> ProjectWorld:  # type: ignore[no-untyped-def]
    manager = UserFactory(organisation=world.agency_a, role=Role.AGENCY_MANAGER, full_name="刘芳")
    worker = world.social_worker_a
    colleague = UserFactory(organisation=world.agency_a, role=Role.SOCIAL_WORKER, full_name="王同事")
    head_office = make_org("湖南德馨社会工作服务中心", OrganisationKind.AGENCY, world.city)
    supervisor = UserFactory(organisation=head_office, role=Role.SOCIAL_WORKER, full_name="督导老师")
    other_agency = make_org("溆浦县另一家社会工作服务中心", OrganisationKind.AGENCY, world.county_a)
    other_manager = UserFactory(organisation=other_agency, role=Role.AGENCY_MANAGER)
    outsider = UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN)
    project = services.create_project(
        actor=actor(world.bureau_a),
        name="溆浦县司法局2026年社区矫正购买服务项目",
        buying_bureau=world.county_a,
        agency=world.agency_a,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        contract_amount=Decimal("890980.00"),
        budget_amount=Decimal("891000.00"),
    )
    for user, role in ((manager, StaffRole.MANAGER), (worker, StaffRole.SOCIAL_WORKER), (colleague, StaffRole.SOCIAL_WORKER), (supervisor, StaffRole.SUPERVISOR)):  # fmt: skip
        services.add_staff(actor=actor(world.bureau_a), project=project, user=user, role=role)
    return ProjectWorld(
        project=project,
        manager=manager,
        worker=worker,
        colleague=colleague,
        supervisor=supervisor,
        bureau=world.bureau_a,
        other_agency_manager=other_manager,
        outsider=outsider,
    )


def assign(user: User, people: list[Supervisee]) -> None:
    Assignment.objects.bulk_create(
        [Assignment(supervisee=p, user=user, role=AssignmentRole.SOCIAL_WORKER) for p in people]
    )


def person(office: object, *, level: str = SupervisionLevel.STRICT, **fields: object) -> Supervisee:
    """Someone under supervision from 2026-01-05 for a year (the project's year)."""
    supervisee = make_supervisee(
        office,  # type: ignore[arg-type]
        supervision_level=level,
        term_start=fields.pop("term_start", dt.date(2026, 1, 5)),
        term_months=fields.pop("term_months", 12),
        **fields,
    )
    Supervisee.objects.filter(pk=supervisee.pk).update(status=Status.UNDER_SUPERVISION)
    supervisee.status = Status.UNDER_SUPERVISION
    return supervisee


@pytest.fixture
def people(world, pw):  # type: ignore[no-untyped-def]
    """Three strict-level supervisees of office A, assigned to the project's social worker."""
    # Names no generated name can equal or contain, so "not on the page" assertions cannot collide.
    group = [person(world.office_a, name=name) for name in ("测试甲", "测试乙", "测试丙")]
    assign(pw.worker, group)
    return group
