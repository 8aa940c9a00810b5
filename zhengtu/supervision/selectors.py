"""Reads of the supervision workflow, each taking the acting user. Default deny; 404 outside scope."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.core.lookups import get_or_404
from zhengtu.documents.models import GeneratedDocument
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervisees.selectors import get_supervisee_for_user, supervisees_visible_to
from zhengtu.workspace.registry import Task

from .models import (
    Appraisal,
    ApprovalRequest,
    ApprovalStatus,
    ApprovalStep,
    Attachment,
    CheckIn,
    DueItem,
    DueKind,
    LeaveRequest,
    LevelChange,
    MonitoringApproval,
    Permit,
    PlanReview,
    Sanction,
    SearchRecord,
    StepStatus,
    SupervisionFile,
    TeamMember,
    Visit,
)
from .periods import Period, covering_period
from .services.absconding import search_alerts
from .services.expiry import expiring

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

__all__ = ["get_supervisee_for_user", "supervisees_visible_to"]


def supervision_file_of(supervisee: Supervisee) -> SupervisionFile | None:
    return SupervisionFile.objects.filter(supervisee=supervisee).first()


def approved_monitoring_period(supervisee: Supervisee, on_date: dt.date) -> Period | None:
    """The approved electronic-monitoring period (start, end) covering `on_date`, extensions joined; else None.

    The monitoring module enforces exactly this period: no approval, no tracking.
    """
    periods = MonitoringApproval.objects.filter(
        supervisee=supervisee, approval__status=ApprovalStatus.APPROVED
    ).values_list("start_date", "end_date")
    return covering_period(list(periods), on_date)


def approval_requests_visible_to(user: User) -> QuerySet[ApprovalRequest]:
    """Requests about supervisees the user sees, plus requests with a step at the user's organisation or below
    (the receiving bureau of a transfer sees the request before the person is theirs)."""
    if not user.is_authenticated or not user.is_active:
        return ApprovalRequest.objects.none()
    if user.is_superuser:
        return ApprovalRequest.objects.all()
    scope = Q(supervisee__in=supervisees_visible_to(user).values("pk"))
    if user.organisation is not None and (can(user, Capability.APPROVE_OFFICE) or can(user, Capability.APPROVE_BUREAU)):
        step_requests = ApprovalStep.objects.filter(organisation__path__startswith=user.organisation.path).values(
            "request_id"
        )
        scope |= Q(pk__in=step_requests)
    return ApprovalRequest.objects.filter(scope)


def get_approval_request_for_user(user: User, pk: object) -> ApprovalRequest:
    request: ApprovalRequest = get_or_404(
        approval_requests_visible_to(user).select_related("supervisee", "requested_by"), pk
    )
    return request


def steps_awaiting(user: User) -> QuerySet[ApprovalStep]:
    """Steps waiting for this user's decision: their organisation, their capability."""
    if not user.is_authenticated or not user.is_active:
        return ApprovalStep.objects.none()
    queryset = ApprovalStep.objects.filter(status=StepStatus.PENDING, request__status=ApprovalStatus.PENDING)
    if not user.is_superuser:
        if user.organisation_id is None:
            return ApprovalStep.objects.none()
        capabilities = [
            c
            for c in (Capability.APPROVE_OFFICE, Capability.APPROVE_BUREAU, Capability.DECIDE_SANCTIONS)
            if can(user, c)
        ]
        queryset = queryset.filter(organisation_id=user.organisation_id, capability__in=capabilities)
    # Separation of duties: a request never waits for the decision of the person who filed it.
    queryset = queryset.exclude(request__requested_by=user)
    return queryset.select_related("request", "request__supervisee", "organisation").order_by("due_on", "pk")


def get_leave_for_user(user: User, pk: object) -> LeaveRequest:
    leave: LeaveRequest = get_or_404(
        LeaveRequest.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).select_related(
            "approval", "supervisee"
        ),
        pk,
    )
    return leave


def get_monitoring_for_user(user: User, pk: object) -> MonitoringApproval:
    monitoring: MonitoringApproval = get_or_404(
        MonitoringApproval.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).select_related(
            "approval", "supervisee"
        ),
        pk,
    )
    return monitoring


def get_team_member_for_user(user: User, pk: object) -> TeamMember:
    member: TeamMember = get_or_404(
        TeamMember.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")), pk
    )
    return member


def get_attachment_for_user(user: User, pk: object) -> Attachment:
    attachment: Attachment = get_or_404(
        Attachment.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).select_related(
            "supervisee"
        ),
        pk,
    )
    return attachment


def attachments_of(supervisee: Supervisee, subject: Model | None = None) -> QuerySet[Attachment]:
    queryset = Attachment.objects.filter(supervisee=supervisee)
    if subject is not None:
        from django.contrib.contenttypes.models import ContentType

        queryset = queryset.filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk)
    return queryset


def documents_of(supervisee: Supervisee) -> QuerySet[GeneratedDocument]:
    return GeneratedDocument.objects.filter(supervisee=supervisee).order_by("created_at", "pk")


def supervisees_for_dashboard(
    user: User, *, status: str = "", level: str = "", query: str = "", overdue_only: bool = False
) -> QuerySet[Supervisee]:
    queryset = supervisees_visible_to(user).select_related("responsible_office")
    if status:
        queryset = queryset.filter(status=status)
    if level:
        queryset = queryset.filter(supervision_level=level)
    if query:
        term = query.strip().lower()
        queryset = queryset.filter(
            Q(name__contains=query.strip()) | Q(name_initials__startswith=term) | Q(name_pinyin__startswith=term)
        )
    if overdue_only:
        overdue = DueItem.objects.filter(due_on__lt=timezone.localdate()).values("supervisee_id")
        queryset = queryset.filter(pk__in=overdue)
    return queryset.order_by("status", "name_pinyin", "pk")


def due_items_by_supervisee(supervisee_ids: list[int]) -> dict[int, list[DueItem]]:
    """Due items of supervisees already fetched through a scoped selector (the dashboard's page)."""
    grouped: dict[int, list[DueItem]] = {}
    for item in DueItem.objects.filter(supervisee_id__in=supervisee_ids).order_by("due_on"):
        grouped.setdefault(item.supervisee_id, []).append(item)
    return grouped


def _personal(user: User) -> Q:
    """The people the user works with day to day: their office's, or assigned, or their own (on `supervisee`)."""
    personal = Q(supervisee__responsible_officer=user) | Q(
        supervisee__assignments__user=user, supervisee__assignments__ended_at__isnull=True
    )
    if user.organisation_id is not None:
        personal |= Q(supervisee__responsible_office_id=user.organisation_id)
    return personal


def due_items_for(user: User) -> QuerySet[DueItem]:
    """Items about the people the user works with day to day: their office's, or assigned, or their own.

    Bureau staff see monitoring periods ending in their subtree (they approve monitoring), not every check-in.
    """
    visible = supervisees_visible_to(user)
    personal = _personal(user)
    if can(user, Capability.APPROVE_BUREAU):
        personal |= Q(kind=DueKind.MONITORING_ENDING)
    return (
        DueItem.objects.filter(supervisee__in=visible.values("pk"))
        .filter(personal)
        .select_related("supervisee")
        .distinct()
        .order_by("due_on")
    )


def my_tasks(user: User) -> list[Task]:
    """The workspace's "my tasks" provider: decisions waiting for the user, then what is due or overdue."""
    today = timezone.localdate()
    tasks: list[Task] = []
    for step in steps_awaiting(user)[:200]:
        request = step.request
        tasks.append(
            Task(
                kind="approval_pending",
                title=_("To decide: %(request)s") % {"request": request.get_kind_display()},
                url=reverse("supervision:approval", args=[request.pk]),
                due=step.due_on,
                overdue=bool(step.due_on and step.due_on < today),
                subject=request.supervisee.name,
            )
        )
    tasks.extend(_search_tasks(user, today))
    tasks.extend(_expiry_tasks(user, today))
    for item in due_items_for(user)[:500]:
        tasks.append(
            Task(
                kind=f"supervision_{item.kind}",
                title=str(item.get_kind_display()),
                url=reverse("supervision:file", args=[item.supervisee_id]),
                due=item.due_on,
                overdue=item.due_on < today,
                subject=item.supervisee.name,
            )
        )
    return tasks


def open_searches_for(user: User) -> QuerySet[SearchRecord]:
    """Open searches for the people the user works with day to day."""
    if not user.is_authenticated or not user.is_active:
        return SearchRecord.objects.none()
    visible = supervisees_visible_to(user).values("pk")
    return (
        SearchRecord.objects.filter(closed_at__isnull=True, supervisee__in=visible)
        .filter(pk__in=SearchRecord.objects.filter(_personal(user)).values("pk"))
        .select_related("supervisee")
        .prefetch_related("steps")
        .order_by("lost_contact_at")
    )


def _search_tasks(user: User, today: dt.date) -> list[Task]:
    """Each limit an open search has passed is a task of its own; a search within its limits is one task."""
    tasks = []
    for record in open_searches_for(user)[:100]:
        url = reverse("supervision:search", args=[record.supervisee_id])
        alerts = search_alerts(record)
        for alert in alerts:
            tasks.append(
                Task(
                    kind="absconding_limit",
                    title=alert,
                    url=url,
                    due=None,
                    overdue=True,
                    subject=record.supervisee.name,
                )
            )
        if not alerts:
            tasks.append(
                Task(
                    kind="absconding_search",
                    title=_("Search under way: out of contact since %(time)s")
                    % {"time": timezone.localtime(record.lost_contact_at).strftime("%Y-%m-%d %H:%M")},
                    url=url,
                    due=None,
                    overdue=False,
                    subject=record.supervisee.name,
                )
            )
    return tasks


def _expiry_tasks(user: User, today: dt.date) -> list[Task]:
    if not user.is_authenticated or not user.is_active:
        return []
    visible = supervisees_visible_to(user).values("pk")
    personal = _personal(user)
    permits = Permit.objects.filter(supervisee__in=visible).filter(pk__in=Permit.objects.filter(personal).values("pk"))
    leave = LeaveRequest.objects.filter(supervisee__in=visible).filter(
        pk__in=LeaveRequest.objects.filter(personal).values("pk")
    )
    return [
        Task(
            kind="permit_expiring",
            title=_("About to expire: %(kind)s") % {"kind": item.label},
            url=item.url,
            due=item.end_date,
            overdue=False,
            subject=item.supervisee.name,
        )
        for item in list(expiring(today, permits=permits, leave=leave))[:200]
    ]


def get_appraisal_for_user(user: User, pk: object) -> Appraisal:
    appraisal: Appraisal = get_or_404(
        Appraisal.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).select_related("supervisee"),
        pk,
    )
    return appraisal


def get_search_for_user(user: User, pk: object) -> SearchRecord:
    record: SearchRecord = get_or_404(
        SearchRecord.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).select_related(
            "supervisee"
        ),
        pk,
    )
    return record


def get_sanction_for_user(user: User, pk: object) -> Sanction:
    sanction: Sanction = get_or_404(
        Sanction.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).select_related(
            "supervisee", "approval"
        ),
        pk,
    )
    return sanction


# The records of one supervisee already fetched through get_supervisee_for_user.


def appraisals_of(supervisee: Supervisee) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(supervisee=supervisee).select_related("recorded_by")


def plan_reviews_of(supervisee: Supervisee) -> QuerySet[PlanReview]:
    return PlanReview.objects.filter(supervisee=supervisee).select_related("reviewed_by", "appraisal")


def searches_of(supervisee: Supervisee) -> QuerySet[SearchRecord]:
    return SearchRecord.objects.filter(supervisee=supervisee).prefetch_related("steps")


def open_search_of(supervisee: Supervisee) -> SearchRecord | None:
    return SearchRecord.objects.filter(supervisee=supervisee, closed_at__isnull=True).first()


def team_of(supervisee: Supervisee, *, current_only: bool = False) -> QuerySet[TeamMember]:
    queryset = TeamMember.objects.filter(supervisee=supervisee)
    return queryset.filter(left_on__isnull=True) if current_only else queryset


def check_ins_of(supervisee: Supervisee) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(supervisee=supervisee).select_related("recorded_by")


def visits_of(supervisee: Supervisee) -> QuerySet[Visit]:
    return Visit.objects.filter(supervisee=supervisee).select_related("recorded_by")


def level_changes_of(supervisee: Supervisee) -> QuerySet[LevelChange]:
    return LevelChange.objects.filter(supervisee=supervisee).select_related("changed_by")


def approval_requests_of(supervisee: Supervisee) -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.filter(supervisee=supervisee)


def leave_requests_of(supervisee: Supervisee) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(supervisee=supervisee).select_related("approval")


def monitoring_of(supervisee: Supervisee) -> QuerySet[MonitoringApproval]:
    return MonitoringApproval.objects.filter(supervisee=supervisee).select_related("approval")


def sanctions_of(supervisee: Supervisee) -> QuerySet[Sanction]:
    return Sanction.objects.filter(supervisee=supervisee).select_related("approval")


def due_items_of(supervisee: Supervisee) -> QuerySet[DueItem]:
    return DueItem.objects.filter(supervisee=supervisee).order_by("due_on")
