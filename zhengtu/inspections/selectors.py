"""Reads of inspections, scoped to the acting user (default deny).

Who sees a project inspection:
- association administrators: every inspection of the rounds their association runs;
- inspectors: the inspections assigned to panels they sit on (and nothing else of the round);
- agency managers: inspections of their own agency's projects (findings, rectification, the final score);
- bureau administrators: inspections of projects their subtree bought or whose agency sits in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from zhengtu.accounts.roles import EXPERT_ROLES, Capability, can, is_active_staff, is_agency_manager
from zhengtu.association.selectors import associations_managed_by
from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation
from zhengtu.projects.models import ServiceProject

from .models import (
    EvidenceFile,
    Expert,
    InspectionRound,
    InspectionStatus,
    Panel,
    ProjectInspection,
    RectificationItem,
    RectificationStatus,
    RoundStatus,
    RubricTemplate,
    Scoresheet,
)

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


# --- The association's own records ---------------------------------------------------------------------


def experts_managed_by(user: User) -> QuerySet[Expert]:
    return Expert.objects.filter(association__in=associations_managed_by(user)).select_related(
        "association", "employer", "user"
    )


def get_managed_expert(user: User, pk: object) -> Expert:
    return get_or_404(experts_managed_by(user), pk)


def rubrics_managed_by(user: User) -> QuerySet[RubricTemplate]:
    return RubricTemplate.objects.filter(association__in=associations_managed_by(user))


def get_managed_rubric(user: User, pk: object) -> RubricTemplate:
    return get_or_404(rubrics_managed_by(user), pk)


def rounds_managed_by(user: User) -> QuerySet[InspectionRound]:
    return InspectionRound.objects.filter(association__in=associations_managed_by(user)).select_related(
        "association", "rubric"
    )


def get_managed_round(user: User, pk: object) -> InspectionRound:
    return get_or_404(rounds_managed_by(user), pk)


def get_managed_panel(user: User, pk: object) -> Panel:
    return get_or_404(Panel.objects.filter(round__in=rounds_managed_by(user)).select_related("round"), pk)


def _areas(user: User) -> list[str]:
    """Paths of the areas the user's associations serve (the subtree of the bureau each is attached to)."""
    return [(a.parent or a).path for a in associations_managed_by(user).select_related("parent")]


def organisations_in_area(user: User) -> QuerySet[Organisation]:
    """Organisations an administrator may name as an expert's employer or declared conflict."""
    scope = Q(pk__in=[])
    for path in _areas(user):
        scope |= Q(path__startswith=path)
    return Organisation.objects.filter(scope).order_by("path")


def inspector_accounts(user: User) -> QuerySet[User]:
    """Accounts that may be linked to an expert: inspectors (and administrators) working in the area."""
    from zhengtu.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            role__in=EXPERT_ROLES,
            organisation__in=organisations_in_area(user),
        )
        .select_related("organisation")
        .order_by("full_name", "username")
    )


def projects_for_rounds(user: User) -> QuerySet[ServiceProject]:
    """Projects an association may inspect: those bought within the area its parent bureau covers."""
    scope = Q(pk__in=[])
    for path in _areas(user):
        scope |= Q(buying_bureau__path__startswith=path) | Q(agency__path__startswith=path)
    return ServiceProject.objects.filter(scope).select_related("agency", "buying_bureau")


# --- Project inspections -------------------------------------------------------------------------------


def inspections_visible_to(user: User) -> QuerySet[ProjectInspection]:
    inspections = ProjectInspection.objects.select_related(
        "round", "round__association", "round__rubric", "project", "project__agency", "project__buying_bureau", "panel"
    )
    if not is_active_staff(user):
        return inspections.none()
    if user.is_superuser:
        return inspections
    scope = Q(round__association__in=associations_managed_by(user))
    if can(user, Capability.INSPECT):
        seated = ProjectInspection.objects.filter(panel__members__expert__user=user).values("pk")
        scope |= Q(pk__in=seated)
    if can(user, Capability.MANAGE_PROJECTS) and user.organisation is not None:
        path = user.organisation.path
        scope |= Q(project__agency__path__startswith=path) | Q(project__buying_bureau__path__startswith=path)
    return inspections.filter(scope)


def get_inspection_for_user(user: User, pk: object) -> ProjectInspection:
    return get_or_404(inspections_visible_to(user), pk)


def get_managed_inspection(user: User, pk: object) -> ProjectInspection:
    managed = inspections_visible_to(user).filter(round__association__in=associations_managed_by(user))
    return get_or_404(managed, pk)


def rounds_visible_to(user: User) -> QuerySet[InspectionRound]:
    visible = inspections_visible_to(user).values("round_id")
    scope = Q(association__in=associations_managed_by(user)) | Q(pk__in=visible)
    if not is_active_staff(user):
        return InspectionRound.objects.none()
    return InspectionRound.objects.filter(scope).select_related("association", "rubric")


def get_round_for_user(user: User, pk: object) -> InspectionRound:
    return get_or_404(rounds_visible_to(user), pk)


def seat_of(user: User, inspection: ProjectInspection) -> Expert | None:
    """The expert profile through which `user` sits on the inspection's panel, if they do."""
    if inspection.panel_id is None or not user.is_authenticated:
        return None
    return Expert.objects.filter(user=user, panel_seats__panel_id=inspection.panel_id).first()


def get_inspection_to_score(user: User, pk: object) -> tuple[ProjectInspection, Expert]:
    """An inspection the user scores as a panel member; 404 for anyone not on its panel."""
    inspection = get_inspection_for_user(user, pk)
    expert = seat_of(user, inspection) if can(user, Capability.INSPECT) else None
    if expert is None:
        raise Http404
    return inspection, expert


@dataclass(frozen=True)
class InspectionAccess:
    manages: bool  # the association running the round
    expert: Expert | None  # the user's seat on the panel
    agency: bool  # the inspected agency's manager: closes rectification items
    sees_all_scores: bool
    sees_panel_score: bool


def access_to(user: User, inspection: ProjectInspection) -> InspectionAccess:
    manages = user.is_superuser or associations_managed_by(user).filter(pk=inspection.round.association_id).exists()
    expert = seat_of(user, inspection) if can(user, Capability.INSPECT) else None
    agency = (
        is_agency_manager(user)
        and user.organisation is not None
        and inspection.project.agency.path.startswith(user.organisation.path)
    )
    finalised = inspection.status == InspectionStatus.FINALISED
    return InspectionAccess(
        manages=manages,
        expert=expert,
        agency=agency,
        sees_all_scores=manages,
        sees_panel_score=manages or finalised,
    )


def own_scoresheet(inspection: ProjectInspection, expert: Expert) -> Scoresheet | None:
    return inspection.scoresheets.filter(expert=expert).first()


# --- Rectification and evidence ------------------------------------------------------------------------


def rectifications_visible_to(user: User) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(inspection__in=inspections_visible_to(user)).select_related(
        "inspection", "inspection__project", "inspection__project__agency", "inspection__round", "owner"
    )


def get_rectification_for_user(user: User, pk: object) -> RectificationItem:
    return get_or_404(rectifications_visible_to(user), pk)


def rectifications_for_agency(user: User) -> QuerySet[RectificationItem]:
    """Open items the user's agency must put right (agency managers only)."""
    if not is_agency_manager(user) or user.organisation is None or not is_active_staff(user):
        return RectificationItem.objects.none()
    return RectificationItem.objects.filter(
        status=RectificationStatus.OPEN, inspection__project__agency__path__startswith=user.organisation.path
    ).select_related("inspection__project", "owner")


def get_evidence_for_user(user: User, pk: object) -> EvidenceFile:
    evidence = EvidenceFile.objects.filter(inspection__in=inspections_visible_to(user)).select_related("inspection")
    return get_or_404(evidence, pk)


def scoresheets_to_fill(user: User) -> QuerySet[ProjectInspection]:
    """Inspections on the user's panels, in rounds under way, where their own scoresheet is not submitted."""
    if not can(user, Capability.INSPECT) or not is_active_staff(user):
        return ProjectInspection.objects.none()
    submitted = Scoresheet.objects.filter(expert__user=user, submitted_at__isnull=False).values("inspection_id")
    return (
        ProjectInspection.objects.filter(panel__members__expert__user=user, round__status=RoundStatus.IN_PROGRESS)
        .exclude(status=InspectionStatus.FINALISED)
        .exclude(pk__in=submitted)
        .select_related("project", "round")
        .distinct()
    )
