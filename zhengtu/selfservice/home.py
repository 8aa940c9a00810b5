"""What the home page (and the API's home summary) shows the person: what is due and by when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from zhengtu.assessment.models import AssessmentMode, AssessmentStatus
from zhengtu.assessment.selectors import own_assessments
from zhengtu.services.hours import CATEGORY_LABELS, actual_hours, first_of_month, required_hours
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervision.models import ApprovalRequest, ApprovalStatus, DueItem, DueKind
from zhengtu.workspace.models import Notification

from .models import Message, SpotCheck
from .selectors import own_pending_spot_check


@dataclass
class HomeSummary:
    next_check_in: dt.date | None
    next_written_report: dt.date | None
    spot_check: SpotCheck | None
    hours: list[dict[str, Any]]
    questionnaires: int
    pending_requests: list[ApprovalRequest]
    decided_requests: list[ApprovalRequest]
    notices: list[Notification] = field(default_factory=list)
    unread_messages: int = 0

    def as_data(self) -> dict[str, Any]:
        def request_data(item: ApprovalRequest) -> dict[str, Any]:
            return {
                "id": item.pk,
                "kind": item.kind,
                "summary": item.summary,
                "status": item.status,
                "status_label": str(item.get_status_display()),
            }

        return {
            "next_check_in": self.next_check_in,
            "next_written_report": self.next_written_report,
            "spot_check_due_at": self.spot_check.due_at if self.spot_check else None,
            "hours": [{**row, "label": str(row["label"])} for row in self.hours],
            "questionnaires": self.questionnaires,
            "pending_requests": [request_data(r) for r in self.pending_requests],
            "decided_requests": [request_data(r) for r in self.decided_requests],
            "notices": [{"title": n.title, "body": n.body, "created_at": n.created_at} for n in self.notices],
            "unread_messages": self.unread_messages,
        }


def home_summary(supervisee: Supervisee) -> HomeSummary:
    due = {item.kind: item.due_on for item in DueItem.objects.filter(supervisee=supervisee)}
    month = first_of_month(timezone.localdate())
    actual = actual_hours([supervisee.pk], month).get(supervisee.pk, {})
    required = required_hours(supervisee, month)
    hours = [
        {
            "category": category,
            "label": CATEGORY_LABELS.get(category, category),
            "actual": float(actual.get(category, 0)),
            "required": float(needed),
        }
        for category, needed in required.items()
    ]
    requests = ApprovalRequest.objects.filter(supervisee=supervisee).order_by("-requested_at")
    user = supervisee.user
    questionnaires = 0
    notices: list[Notification] = []
    if user is not None:
        questionnaires = (
            own_assessments(user).filter(status=AssessmentStatus.DRAFT, mode=AssessmentMode.SELF_REPORT).count()
        )
        notices = list(Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at")[:5])
    return HomeSummary(
        next_check_in=due.get(DueKind.CHECK_IN),
        next_written_report=due.get(DueKind.WRITTEN_REPORT),
        spot_check=own_pending_spot_check(supervisee),
        hours=hours,
        questionnaires=questionnaires,
        pending_requests=list(requests.filter(status=ApprovalStatus.PENDING)[:5]),
        decided_requests=list(requests.exclude(status=ApprovalStatus.PENDING)[:5]),
        notices=notices,
        unread_messages=Message.objects.filter(
            supervisee=supervisee, from_supervisee=False, read_at__isnull=True
        ).count(),
    )
