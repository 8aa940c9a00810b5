"""A world for association and inspection tests, built on the root `world` fixture.

The association serves the city of `world`; an outsider association serves another city with its own
agency. Projects: county A's project with agency A, county B's with agency B, and a city-level project.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.projects.models import ProjectStaff, ServiceProject, StaffRole
from zhengtu.testing.factories import UserFactory, make_org


@dataclass
class AssociationWorld:
    base: object  # the root conftest's World
    association: Organisation
    admin: User
    admin_actor: Actor
    agency_b: Organisation
    manager_a: User  # agency_a's project manager
    manager_b: User
    inspectors: list[User]
    other_city: Organisation
    other_association: Organisation
    other_admin: User
    other_agency: Organisation
    other_manager: User
    other_inspector: User
    project_a: ServiceProject
    project_b: ServiceProject
    project_city: ServiceProject
    other_project: ServiceProject


def make_project(name: str, bureau: Organisation, agency: Organisation) -> ServiceProject:
    return ServiceProject.objects.create(
        name=name,
        buying_bureau=bureau,
        agency=agency,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        contract_amount=Decimal("600000.00"),
    )


def build_association_world(world: object) -> AssociationWorld:
    city = world.city  # type: ignore[attr-defined]
    association = make_org("怀化市司法矫治协会", OrganisationKind.ASSOCIATION, city)
    admin = UserFactory(organisation=association, role=Role.ASSOCIATION_ADMIN, full_name="协会管理员")
    agency_b = make_org("辰溪县启明社会工作服务中心", OrganisationKind.AGENCY, world.county_b)  # type: ignore[attr-defined]
    other_city = make_org("邵阳市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    other_association = make_org("邵阳市司法矫治协会", OrganisationKind.ASSOCIATION, other_city)
    other_agency = make_org("邵阳市助人社会工作服务中心", OrganisationKind.AGENCY, other_city)
    agency_a = world.agency_a  # type: ignore[attr-defined]
    return AssociationWorld(
        base=world,
        association=association,
        admin=admin,
        admin_actor=Actor(user=admin),
        agency_b=agency_b,
        manager_a=UserFactory(organisation=agency_a, role=Role.AGENCY_MANAGER, full_name="阳光项目主任"),
        manager_b=UserFactory(organisation=agency_b, role=Role.AGENCY_MANAGER),
        inspectors=[
            UserFactory(organisation=association, role=Role.INSPECTOR, full_name=f"专家{i}") for i in range(1, 4)
        ],
        other_city=other_city,
        other_association=other_association,
        other_admin=UserFactory(organisation=other_association, role=Role.ASSOCIATION_ADMIN),
        other_agency=other_agency,
        other_manager=UserFactory(organisation=other_agency, role=Role.AGENCY_MANAGER),
        other_inspector=UserFactory(organisation=other_association, role=Role.INSPECTOR),
        project_a=make_project("溆浦县社区矫正社会工作服务项目", world.county_a, agency_a),  # type: ignore[attr-defined]
        project_b=make_project("辰溪县社区矫正社会工作服务项目", world.county_b, agency_b),  # type: ignore[attr-defined]
        project_city=make_project("怀化市未成年人矫治帮扶项目", city, agency_a),
        other_project=make_project("邵阳市司法社工项目", other_city, other_agency),
    )


def add_supervisor(project: ServiceProject, user: User) -> ProjectStaff:
    return ProjectStaff.objects.create(project=project, user=user, role=StaffRole.SUPERVISOR)


def local_datetime(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))
