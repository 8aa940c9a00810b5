"""Reads of the volunteers app: scoped to the user's county (or subtree), default deny.

Assignments to juvenile cases are read through juvenile.selectors.cases_visible_to, so a sealed case's volunteer
work is sealed with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum

from zhengtu.accounts.roles import AGENCY_STAFF_ROLES, Capability, can
from zhengtu.core.lookups import get_or_404
from zhengtu.juvenile.rules import training_hours_per_year
from zhengtu.juvenile.selectors import cases_visible_to, county_of
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import Studio, TrainingRecord, Volunteer, VolunteerAssignment, VolunteerHours

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def pool_of(user: User) -> QuerySet[Organisation]:
    """The organisations whose volunteers and studios a user works with: their county's subtree, else their own."""
    if not user.is_authenticated or not can(user, Capability.MANAGE_VOLUNTEERS) or user.organisation is None:
        return Organisation.objects.none()
    root = county_of(user) or user.organisation
    return Organisation.objects.filter(path__startswith=root.path)


def volunteers_visible_to(user: User) -> QuerySet[Volunteer]:
    if user.is_superuser:
        return Volunteer.objects.all()
    return Volunteer.objects.filter(organisation__in=pool_of(user).values("pk"))


def get_volunteer_for_user(user: User, pk: object) -> Volunteer:
    return get_or_404(volunteers_visible_to(user), pk)


def assignments_visible_to(user: User) -> QuerySet[VolunteerAssignment]:
    cases = cases_visible_to(user).values("pk")
    people = supervisees_visible_to(user).values("pk")
    return VolunteerAssignment.objects.filter(
        Q(juvenile_case__in=cases) | Q(supervisee__in=people), volunteer__in=volunteers_visible_to(user).values("pk")
    ).select_related("volunteer", "juvenile_case", "supervisee")


def get_assignment_for_user(user: User, pk: object) -> VolunteerAssignment:
    return get_or_404(assignments_visible_to(user), pk)


def get_hours_for_user(user: User, pk: object) -> VolunteerHours:
    return get_or_404(
        VolunteerHours.objects.select_related("assignment").filter(
            assignment__in=assignments_visible_to(user).values("pk")
        ),
        pk,
    )


@dataclass(frozen=True)
class WorkerDevelopment:
    worker: User
    hours: Decimal
    required: int

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(self.required) - self.hours, Decimal(0))


def workers_of(user: User) -> QuerySet[User]:
    from zhengtu.accounts.models import User as UserModel

    return UserModel.objects.filter(
        is_active=True,
        organisation__in=pool_of(user).values("pk"),
        role__in=AGENCY_STAFF_ROLES,
    ).order_by("organisation__name", "full_name")


def development_overview(user: User, year: int) -> list[WorkerDevelopment]:
    """Training hours of each social worker in the user's pool this year against the yearly requirement."""
    required = training_hours_per_year()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    totals = dict(
        TrainingRecord.objects.filter(worker__in=workers_of(user), attended_on__range=(start, end))
        .values_list("worker")
        .annotate(total=Sum("hours"))
        .values_list("worker", "total")
    )
    return [WorkerDevelopment(w, totals.get(w.pk) or Decimal(0), required) for w in workers_of(user)]


def studios_visible_to(user: User) -> QuerySet[Studio]:
    if user.is_superuser:
        return Studio.objects.all()
    return Studio.objects.filter(organisation__in=pool_of(user).values("pk"))


def get_studio_for_user(user: User, pk: object) -> Studio:
    return get_or_404(studios_visible_to(user), pk)
