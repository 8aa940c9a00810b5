"""The demo seed: histories for existing supervisees, a few real intakes, a pending leave; idempotent."""

from __future__ import annotations

import datetime as dt

from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervision.demo import seed
from zhengtu.supervision.models import (
    Appraisal,
    ApprovalStatus,
    CheckIn,
    DueItem,
    LeaveRequest,
    PlanReview,
    Sanction,
    SearchRecord,
    SupervisionFile,
    Visit,
)

from .conftest import pending_supervisee, today


def test_the_demo_seed_fills_the_workflow_and_runs_twice(world) -> None:  # type: ignore[no-untyped-def]
    running = [pending_supervisee(world.office_a, responsible_officer=world.officer_a) for _ in range(3)]
    Supervisee.objects.filter(pk__in=[s.pk for s in running]).update(status=Status.UNDER_SUPERVISION)
    waiting = pending_supervisee(world.office_a, term_start=today() + dt.timedelta(days=3))
    seed(scale="county")
    assert SupervisionFile.objects.count() == 4
    assert CheckIn.objects.exists() and Visit.objects.exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.UNDER_SUPERVISION and waiting.documents.exists()
    leave = LeaveRequest.objects.get()
    assert leave.approval.status == ApprovalStatus.PENDING and leave.days == 10
    assert DueItem.objects.exists()
    assert Appraisal.objects.count() >= 6 and PlanReview.objects.exists()
    assert Appraisal.objects.filter(suggested_level="strict").exists()  # the run of poor months
    assert SearchRecord.objects.filter(closed_at__isnull=True).count() == 1
    assert SearchRecord.objects.filter(outcome="found").count() == 1
    sent = Sanction.objects.get(kind="sentence_reduction")  # approved and sent; the court's decision is awaited
    assert sent.approval.status == ApprovalStatus.APPROVED and sent.sent_on and not sent.decision_outcome
    seed(scale="county")
    assert SearchRecord.objects.count() == 2
    assert SupervisionFile.objects.count() == 4 and LeaveRequest.objects.count() == 1
