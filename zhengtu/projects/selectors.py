"""Reads of projects. Scope is decided here and only here: default deny.

A project is visible to
- users of the buying bureau's subtree (the bureau itself, its justice offices) and of the
  organisations above it (the city bureau);
- the agency's own staff (users of the agency organisation or below it) — but not the staff
  of another agency hanging under the same bureau;
- people listed as the project's staff (a supervisor from the agency's head office);
- superusers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhengtu.accounts.roles import Capability, can, is_supervisee
from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import OrganisationKind

from .models import (
    BudgetAdjustment,
    BudgetLine,
    KpiTarget,
    ProjectReport,
    ProjectStaff,
    ServiceProject,
    SpendingEntry,
    SpendingVoucher,
    StaffRole,
)

if TYPE_CHECKING:
    import datetime as dt

    from zhengtu.accounts.models import User


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def active_staff(user: User, *, on: dt.date | None = None) -> QuerySet[ProjectStaff]:
    on = on or timezone.localdate()
    return ProjectStaff.objects.filter(user=user).filter(Q(left_on__isnull=True) | Q(left_on__gte=on))


def projects_visible_to(user: User) -> QuerySet[ServiceProject]:
    if not user.is_authenticated or not user.is_active:
        return ServiceProject.objects.none()
    if user.is_superuser:
        return ServiceProject.objects.all()
    if is_supervisee(user):
        return ServiceProject.objects.none()
    scope = Q(pk__in=active_staff(user).values("project_id"))
    organisation = user.organisation
    if organisation is not None:
        if organisation.kind == OrganisationKind.AGENCY:
            scope |= Q(agency__path__startswith=organisation.path)
        else:
            scope |= Q(buying_bureau_id__in=_ancestor_ids(organisation.path))
            scope |= Q(buying_bureau__path__startswith=organisation.path)
    return ServiceProject.objects.filter(scope)


def get_project_for_user(user: User, pk: object) -> ServiceProject:
    """The one way to fetch a project named in a URL: 404 outside the user's scope."""
    return get_or_404(projects_visible_to(user).select_related("buying_bureau", "agency"), pk)


def can_manage_project(user: User, project: ServiceProject) -> bool:
    """Targets, budget, spending and reports: MANAGE_PROJECTS and the project in scope."""
    return can(user, Capability.MANAGE_PROJECTS) and projects_visible_to(user).filter(pk=project.pk).exists()


def get_managed_project_for_user(user: User, pk: object) -> ServiceProject:
    """A project the user may manage: 404 outside scope, 403 inside it without MANAGE_PROJECTS."""
    project = get_project_for_user(user, pk)
    if not can(user, Capability.MANAGE_PROJECTS):
        raise PermissionDenied
    return project


def projects_open_for_recording(user: User) -> QuerySet[ServiceProject]:
    """Projects the user may add ledger records to: its staff, or staff of its agency, while it runs."""
    if not user.is_authenticated or not user.is_active or not can(user, Capability.RECORD_SERVICES):
        return ServiceProject.objects.none()
    base = ServiceProject.objects.exclude(status="closed")
    if user.is_superuser:
        return base
    scope = Q(pk__in=active_staff(user).values("project_id"))
    if user.organisation is not None and user.organisation.kind == OrganisationKind.AGENCY:
        scope |= Q(agency__path__startswith=user.organisation.path)
    return base.filter(scope)


def is_project_supervisor(user: User, project_id: int | None, *, on: dt.date | None = None) -> bool:
    if project_id is None or not user.is_authenticated:
        return False
    return active_staff(user, on=on).filter(project_id=project_id, role=StaffRole.SUPERVISOR).exists()


def get_target_for_user(user: User, project: ServiceProject, pk: object) -> KpiTarget:
    return get_or_404(project.kpi_targets, pk)


def get_budget_line(project: ServiceProject, pk: object) -> BudgetLine:
    return get_or_404(project.budget_lines, pk)


def get_adjustment(project: ServiceProject, pk: object) -> BudgetAdjustment:
    return get_or_404(project.budget_adjustments.select_related("budget_line", "source_line"), pk)


def get_voucher(project: ServiceProject, pk: object) -> SpendingVoucher:
    return get_or_404(
        SpendingVoucher.objects.select_related("entry__budget_line").filter(entry__budget_line__project=project), pk
    )


def spending_of(project: ServiceProject) -> QuerySet[SpendingEntry]:
    return (
        SpendingEntry.objects.filter(budget_line__project=project)
        .select_related("budget_line", "recorded_by")
        .prefetch_related("vouchers")
    )


def get_report(project: ServiceProject, pk: object) -> ProjectReport:
    return get_or_404(project.reports, pk)
