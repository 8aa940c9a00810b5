"""Demo data: seed 003's project for the 溆浦 county demo, running this year, with a ledger kept up
to yesterday at a realistic pace (a few indicators behind), spending, funds and a report draft.

Idempotent: nothing is added when this year's 溆浦 project exists. Called by `manage.py seed_demo`.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.orgs.services import create_organisation
from zhengtu.supervisees.models import Assignment, AssignmentRole, Status, Supervisee

from . import seeding
from .models import ReportKind, ServiceProject, StaffRole
from .progress import elapsed_share
from .reporting import services as reporting

COUNTY = "溆浦"
AGENCY_FALLBACK = "溆浦县德馨社会工作服务中心"
SOCIAL_WORKERS = 6  # seed 003: six social workers stationed at the county bureau
# Share of the pro-rata target delivered so far, per indicator: most on pace, two visibly behind.
PACE = {
    "education_sessions": Decimal("1.02"),
    "psychological_tests": Decimal("1.05"),
    "group_counselling": Decimal("0.6"),
    "individual_counselling": Decimal("1.0"),
    "community_service_sessions": Decimal("0.82"),
    "routine_visits": Decimal("0.97"),
    "focus_visits": Decimal("1.0"),
    "special_visits": Decimal("1.0"),
    "location_installs": Decimal("1.0"),
}


def _agency(bureau: Organisation) -> Organisation:
    agencies = Organisation.objects.filter(kind=OrganisationKind.AGENCY, path__startswith=bureau.path)
    found = agencies.filter(name__contains="社会工作服务中心").order_by("pk").first()
    return found or create_organisation(name=AGENCY_FALLBACK, kind=OrganisationKind.AGENCY, parent=bureau)


def _workers(agency: Organisation) -> list[User]:
    """The agency's social workers, topped up with demo accounts (no password) to seed 003's six."""
    workers = list(User.objects.filter(organisation=agency, role=Role.SOCIAL_WORKER, is_active=True).order_by("pk"))
    number = 1
    while len(workers) < SOCIAL_WORKERS:
        username = f"sw_xupu_demo{number}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": f"驻点社工{number}", "role": Role.SOCIAL_WORKER, "organisation": agency},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if user not in workers:
            workers.append(user)
        number += 1
    return workers


def _caseloads(bureau: Organisation, workers: list[User]) -> list[seeding.Caseload]:
    """Each worker's assigned supervisees; the county's unassigned people are shared out among them."""
    people = list(
        Supervisee.objects.filter(
            responsible_office__path__startswith=bureau.path, status=Status.UNDER_SUPERVISION
        ).order_by("pk")
    )
    assigned = set(
        Assignment.objects.filter(user__in=workers, ended_at__isnull=True).values_list("supervisee_id", flat=True)
    )
    new = [
        Assignment(supervisee=person, user=workers[index % len(workers)], role=AssignmentRole.SOCIAL_WORKER)
        for index, person in enumerate(p for p in people if p.pk not in assigned)
    ]
    Assignment.objects.bulk_create(new)
    loads = []
    for worker in workers:
        ids = Assignment.objects.filter(user=worker, ended_at__isnull=True).values("supervisee_id")
        mine = [p for p in people if p.pk in {row["supervisee_id"] for row in ids}]
        if mine:
            loads.append(seeding.Caseload(Actor(user=worker), mine))
    return loads


def _manager_actor(bureau: Organisation) -> Actor:
    user = (
        User.objects.filter(organisation=bureau, role=Role.BUREAU_ADMIN, is_active=True).order_by("pk").first()
        or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    )
    if user is None:
        raise RuntimeError("The demo needs a bureau administrator or a superuser to sign the contract.")
    return Actor(user=user, username=user.username)


@transaction.atomic
def seed(*, scale: str) -> None:
    bureau = Organisation.objects.filter(kind=OrganisationKind.COUNTY_BUREAU, name__startswith=COUNTY).first()
    if bureau is None:
        return
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    data = seeding.load("xupu_2020")
    name = f"溆浦县司法局{today.year}年社区矫正购买服务项目"
    if ServiceProject.objects.filter(name=name, buying_bureau=bureau).exists():
        return
    agency = _agency(bureau)
    manager = _manager_actor(bureau)
    workers = _workers(agency)
    staff = [(w, StaffRole.SOCIAL_WORKER) for w in workers]
    staff += [(u, StaffRole.MANAGER) for u in User.objects.filter(organisation=agency, role=Role.AGENCY_MANAGER)]
    project = seeding.create_project(
        manager=manager, buying_bureau=bureau, agency=agency, data=data, name=name, period=(start, end), staff=staff
    )
    last_day = today - dt.timedelta(days=1)
    if last_day < start:
        return
    share = elapsed_share(start, end, last_day)
    seeding.receive_funds(manager=manager, project=project, share=Decimal("0.5"), on=start + dt.timedelta(days=20))
    if share > Decimal("0.5"):
        seeding.receive_funds(manager=manager, project=project, share=Decimal("0.4"), on=dt.date(today.year, 7, 15))
    seeding.book_spending(
        manager=manager,
        project=project,
        share=share * Decimal("0.95"),
        last_day=last_day,
        variation=random.Random(f"{name}-spending"),  # noqa: S311 - demo figures, not security
    )
    counts = {
        code: int(Decimal(target) * share * PACE.get(code, Decimal(1))) for code, target in data["targets"].items()
    }
    seeding.record_activity(
        project=project,
        caseloads=_caseloads(bureau, workers),
        counts=counts,
        first_day=start,
        last_day=last_day,
        data=data,
        rng=random.Random(2020),  # noqa: S311 - reproducible demo data, not security
    )
    report = reporting.create_report(
        actor=manager, project=project, kind=ReportKind.ANNUAL, period_start=start, period_end=end
    )
    reporting.save_narrative(actor=manager, report=report, title=report.title, narrative=data["narrative_current_year"])
