"""Reads of the association's records, scoped to the acting user (default deny).

Two kinds of scope:
- *managed*: association administrators see everything of the associations in their own subtree;
- *served*: an association serves the subtree of the bureau it is attached to; staff working there see its
  trainings (to register), its member directory, and their own applications and filings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhengtu.accounts.roles import Capability, can, is_active_staff, is_agency_manager
from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.projects.models import ProjectStaff, ServiceProject, StaffRole

from .models import (
    FilingDocument,
    FilingStatus,
    Membership,
    MembershipStatus,
    QuestionnaireAnswer,
    SupervisorFiling,
    Training,
    TrainingRegistration,
)
from .rules import MEAN_OVER_MAX, rule

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


# --- Which associations ---------------------------------------------------------------------------------


def associations_managed_by(user: User) -> QuerySet[Organisation]:
    associations = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
    if not user.is_authenticated or not user.is_active:
        return associations.none()
    if user.is_superuser:
        return associations
    if not can(user, Capability.MANAGE_ASSOCIATION) or user.organisation is None:
        return associations.none()
    return associations.filter(path__startswith=user.organisation.path)


def associations_serving(user: User) -> QuerySet[Organisation]:
    """Associations whose area (the subtree of the bureau they are attached to) contains the user's workplace."""
    associations = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
    if not is_active_staff(user) or user.organisation is None:
        return associations.none()
    ancestor_ids = [int(part) for part in user.organisation.path.strip("/").split("/") if part]
    return associations.filter(Q(parent_id__in=ancestor_ids) | Q(pk__in=ancestor_ids))


def association_of(user: User) -> Organisation | None:
    """The association a (non-superuser) administrator works for, used as the default owner of new records."""
    return associations_managed_by(user).order_by("path").first()


def get_managed_association(user: User, pk: object) -> Organisation:
    return get_or_404(associations_managed_by(user), pk)


# --- Trainings --------------------------------------------------------------------------------------------


def trainings_managed_by(user: User) -> QuerySet[Training]:
    return Training.objects.filter(association__in=associations_managed_by(user)).select_related("association")


def trainings_visible_to(user: User) -> QuerySet[Training]:
    """Trainings the user may read: those they manage, and those of associations serving their workplace."""
    if not is_active_staff(user):
        return Training.objects.none()
    scope = Q(association__in=associations_managed_by(user)) | Q(association__in=associations_serving(user))
    return Training.objects.filter(scope).select_related("association")


def get_training_for_user(user: User, pk: object) -> Training:
    return get_or_404(trainings_visible_to(user), pk)


def get_managed_training(user: User, pk: object) -> Training:
    return get_or_404(trainings_managed_by(user), pk)


def registrations_of(training: Training) -> QuerySet[TrainingRegistration]:
    """Registrations of a training already fetched through a scoped selector."""
    return training.registrations.select_related("user").order_by("signed_in_at", "name", "pk")


def own_registration(user: User, training: Training) -> TrainingRegistration | None:
    if not user.is_authenticated:
        return None
    return training.registrations.filter(user=user).first()


@dataclass(frozen=True)
class Satisfaction:
    answers: int
    satisfied_answers: int
    mean_score: Decimal | None
    percent: Decimal | None  # per the configured method, two decimals; None without answers


@dataclass(frozen=True)
class TrainingFigures:
    registered: int
    attended: int
    responses: int
    satisfaction: Satisfaction


@dataclass(frozen=True)
class YearFigures:
    year: int
    sessions: int
    person_times: int
    responses: int
    satisfaction: Satisfaction


def satisfaction_of(answers: QuerySet[QuestionnaireAnswer]) -> Satisfaction:
    threshold = int(rule("training_satisfied_min_score"))
    top = Decimal(int(rule("training_score_max")))
    totals = answers.aggregate(
        count=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=threshold)), total=Sum("score")
    )
    count = int(totals["count"] or 0)
    if count == 0:
        return Satisfaction(answers=0, satisfied_answers=0, mean_score=None, percent=None)
    mean = Decimal(int(totals["total"] or 0)) / Decimal(count)
    if rule("training_satisfaction_method") == MEAN_OVER_MAX:
        percent = mean / top * 100
    else:
        percent = Decimal(int(totals["satisfied"])) / Decimal(count) * 100
    two_places = Decimal("0.01")
    return Satisfaction(
        answers=count,
        satisfied_answers=int(totals["satisfied"]),
        mean_score=mean.quantize(two_places, rounding=ROUND_HALF_UP),
        percent=percent.quantize(two_places, rounding=ROUND_HALF_UP),
    )


def training_figures(training: Training) -> TrainingFigures:
    registrations = training.registrations.all()
    return TrainingFigures(
        registered=registrations.count(),
        attended=registrations.filter(signed_in_at__isnull=False).count(),
        responses=training.responses.count(),
        satisfaction=satisfaction_of(QuestionnaireAnswer.objects.filter(response__training=training)),
    )


def year_figures(trainings: QuerySet[Training], year: int) -> YearFigures:
    """Figures like seed 000's: sessions held so far, person-times attended, pooled average satisfaction."""
    held = trainings.filter(starts_at__year=year, starts_at__lte=timezone.now(), is_cancelled=False)
    return YearFigures(
        year=year,
        sessions=held.count(),
        person_times=TrainingRegistration.objects.filter(training__in=held, signed_in_at__isnull=False).count(),
        responses=QuestionnaireAnswer.objects.filter(response__training__in=held).values("response").distinct().count(),
        satisfaction=satisfaction_of(QuestionnaireAnswer.objects.filter(response__training__in=held)),
    )


# --- Members ----------------------------------------------------------------------------------------------


def memberships_managed_by(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(association__in=associations_managed_by(user)).select_related(
        "association", "organisation", "user"
    )


def own_memberships(user: User) -> QuerySet[Membership]:
    if not is_active_staff(user):
        return Membership.objects.none()
    return Membership.objects.filter(Q(applied_by=user) | Q(user=user)).select_related("association")


def member_directory(user: User) -> QuerySet[Membership]:
    """Active members of the associations serving or managed by the user."""
    if not is_active_staff(user):
        return Membership.objects.none()
    scope = Q(association__in=associations_managed_by(user)) | Q(association__in=associations_serving(user))
    return Membership.objects.filter(scope, status=MembershipStatus.ACTIVE).select_related("association")


def get_membership_for_user(user: User, pk: object) -> Membership:
    visible = memberships_managed_by(user) | own_memberships(user)
    return get_or_404(visible.distinct(), pk)


def get_managed_membership(user: User, pk: object) -> Membership:
    return get_or_404(memberships_managed_by(user), pk)


def membership_counts(memberships: QuerySet[Membership]) -> dict[str, int]:
    active = memberships.filter(status=MembershipStatus.ACTIVE)
    return {
        "units": active.filter(kind="unit").count(),
        "individuals": active.filter(kind="individual").count(),
        "applications": memberships.filter(status=MembershipStatus.APPLIED).count(),
    }


# --- Supervisor credential filings ----------------------------------------------------------------------


def filings_managed_by(user: User) -> QuerySet[SupervisorFiling]:
    return SupervisorFiling.objects.filter(association__in=associations_managed_by(user)).select_related(
        "association", "supervisor", "agency"
    )


def filings_visible_to(user: User) -> QuerySet[SupervisorFiling]:
    """Managed filings, the user's own, and (for agency managers) those of their agency's staff."""
    if not is_active_staff(user):
        return SupervisorFiling.objects.none()
    scope = Q(association__in=associations_managed_by(user)) | Q(supervisor=user) | Q(submitted_by=user)
    if is_agency_manager(user) and user.organisation is not None:
        scope |= Q(agency__path__startswith=user.organisation.path)
    return SupervisorFiling.objects.filter(scope).select_related("association", "supervisor", "agency")


def get_filing_for_user(user: User, pk: object) -> SupervisorFiling:
    return get_or_404(filings_visible_to(user), pk)


def filing_supervisor_choices(user: User) -> QuerySet[User] | None:
    """Whom an agency manager may file for: staff of their own agency. None: others file for themselves."""
    from zhengtu.accounts.models import User

    if is_agency_manager(user) and user.organisation is not None:
        return User.objects.filter(is_active=True, organisation__path__startswith=user.organisation.path).order_by(
            "full_name", "username"
        )
    return None


def unit_for_membership(user: User) -> Organisation | None:
    """The unit an applicant may apply for as a unit member: an agency manager's own agency."""
    if not is_agency_manager(user) or user.organisation is None:
        return None
    return user.organisation if user.organisation.kind == OrganisationKind.AGENCY else None


def agency_of(user: User) -> Organisation | None:
    return user.organisation.nearest({OrganisationKind.AGENCY}) if user.organisation else None


def get_managed_filing(user: User, pk: object) -> SupervisorFiling:
    return get_or_404(filings_managed_by(user), pk)


def get_filing_document_for_user(user: User, pk: object) -> FilingDocument:
    documents = FilingDocument.objects.filter(filing__in=filings_visible_to(user)).select_related("filing")
    return get_or_404(documents, pk)


class FilingState:
    VALID = "valid"
    EXPIRING = "expiring"
    LAPSED = "lapsed"
    PENDING = "pending"
    NONE = "none"


@dataclass(frozen=True)
class SupervisorFilingStatus:
    state: str
    filing: SupervisorFiling | None = None
    valid_until: dt.date | None = None

    @property
    def is_valid(self) -> bool:
        return self.state in (FilingState.VALID, FilingState.EXPIRING)


def supervisor_filing_status(user: User, on_date: dt.date) -> SupervisorFilingStatus:
    """Whether `user` holds a supervisor filing valid on `on_date` (any association), and for how long.

    This reports on a person named by the caller (e.g. a project's supervisor already fetched through a
    scoped selector); it reveals only the state and the filing's dates.
    """
    filings = SupervisorFiling.objects.filter(supervisor=user)
    valid = (
        filings.filter(status=FilingStatus.APPROVED, valid_from__lte=on_date, valid_until__gte=on_date)
        .order_by("-valid_until")
        .first()
    )
    if valid is not None:
        assert valid.valid_until is not None
        window = dt.timedelta(days=int(rule("supervisor_filing_renewal_window_days")))
        renewed = filings.filter(
            status=FilingStatus.APPROVED, valid_from__gt=valid.valid_until - window, valid_until__gt=valid.valid_until
        ).exists()
        state = FilingState.EXPIRING if valid.valid_until - on_date <= window and not renewed else FilingState.VALID
        return SupervisorFilingStatus(state=state, filing=valid, valid_until=valid.valid_until)
    pending = filings.filter(status__in=[FilingStatus.SUBMITTED, FilingStatus.RETURNED]).first()
    if pending is not None:
        return SupervisorFilingStatus(state=FilingState.PENDING, filing=pending)
    lapsed = filings.filter(status=FilingStatus.APPROVED, valid_until__lt=on_date).order_by("-valid_until").first()
    if lapsed is not None:
        return SupervisorFilingStatus(state=FilingState.LAPSED, filing=lapsed, valid_until=lapsed.valid_until)
    return SupervisorFilingStatus(state=FilingState.NONE)


@dataclass(frozen=True)
class ProjectSupervisorStatus:
    staff: ProjectStaff
    user: User
    status: SupervisorFilingStatus


def project_supervisor_statuses(project: ServiceProject, on_date: dt.date) -> list[ProjectSupervisorStatus]:
    """Every supervisor on the project on `on_date`, with their filing status."""
    staff = (
        ProjectStaff.objects.filter(project=project, role=StaffRole.SUPERVISOR)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=on_date))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on_date))
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    return [
        ProjectSupervisorStatus(staff=s, user=s.user, status=supervisor_filing_status(s.user, on_date)) for s in staff
    ]


def lapsed_supervisors(project: ServiceProject, on_date: dt.date) -> list[ProjectSupervisorStatus]:
    """The project's supervisors on `on_date` who do not hold a valid filing (lapsed, pending or none)."""
    return [entry for entry in project_supervisor_statuses(project, on_date) if not entry.status.is_valid]
