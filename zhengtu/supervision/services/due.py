"""What is due: computed for everyone daily by a background job, and for one person after each record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from zhengtu.supervisees.models import Status, Supervisee

from ..models import ApprovalStatus, CheckIn, CheckInKind, DueItem, DueKind, MonitoringApproval, Visit
from ..periods import covering_period
from ..rules import due_soon_days, frequency_for, monitoring_rules, term_ending_reminder_days

ACTIVE = (Status.PENDING_INTAKE, Status.UNDER_SUPERVISION)
BATCH = 2000


def _annotated(queryset: QuerySet[Supervisee]) -> QuerySet[Supervisee]:
    def latest_check_in(kind: str) -> Subquery:
        rows = CheckIn.objects.filter(supervisee=OuterRef("pk"), kind=kind).order_by("-occurred_on")
        return Subquery(rows.values("occurred_on")[:1])

    last_visit = Visit.objects.filter(supervisee=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    return queryset.select_related("supervision_file").annotate(
        last_check_in=latest_check_in(CheckInKind.CHECK_IN),
        last_written_report=latest_check_in(CheckInKind.WRITTEN_REPORT),
        last_visit=Subquery(last_visit),
    )


def _monitoring_by_supervisee(
    ids: list[int], today: dt.date
) -> tuple[dict[int, list[tuple[dt.date, dt.date]]], set[int]]:
    approved: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    pending: set[int] = set()
    rows = MonitoringApproval.objects.filter(
        supervisee_id__in=ids,
        end_date__gte=today - dt.timedelta(days=1),
        approval__status__in=[ApprovalStatus.APPROVED, ApprovalStatus.PENDING],
    ).values_list("supervisee_id", "start_date", "end_date", "approval__status")
    for supervisee_id, start, end, status in rows:
        if status == ApprovalStatus.APPROVED:
            approved[supervisee_id].append((start, end))
        elif end >= today:
            pending.add(supervisee_id)
    return approved, pending


def _items_for(
    supervisee: Supervisee,
    today: dt.date,
    now: dt.datetime,
    monitoring: list[tuple[dt.date, dt.date]],
    extension_pending: bool,
) -> Iterator[DueItem]:
    horizon = today + dt.timedelta(days=due_soon_days())
    supervision_file = getattr(supervisee, "supervision_file", None)

    def item(kind: str, due: dt.date) -> DueItem:
        return DueItem(supervisee=supervisee, kind=kind, due_on=due, computed_at=now)

    if supervisee.status == Status.PENDING_INTAKE:
        deadline = supervision_file.reporting_deadline if supervision_file else None
        reported = supervision_file.reported_on if supervision_file else None
        if deadline and reported is None and deadline <= horizon:
            yield item(DueKind.ARRIVAL, deadline)
        return
    base = (supervision_file.reported_on if supervision_file else None) or supervisee.term_start
    frequency = frequency_for(supervisee.supervision_level)
    for kind, last, interval in (
        (DueKind.CHECK_IN, supervisee.last_check_in, frequency.checkin_days),  # type: ignore[attr-defined]
        (DueKind.WRITTEN_REPORT, supervisee.last_written_report, frequency.written_report_days),  # type: ignore[attr-defined]
        (DueKind.VISIT, supervisee.last_visit, frequency.visit_days),  # type: ignore[attr-defined]
    ):
        due = (last or base) + dt.timedelta(days=interval)
        if due <= horizon:
            yield item(kind, due)
    if supervisee.term_end - dt.timedelta(days=term_ending_reminder_days()) <= today:
        yield item(DueKind.TERM_ENDING, supervisee.term_end)
    period = covering_period(monitoring, today)
    reminder = dt.timedelta(days=monitoring_rules().ending_reminder_days)
    if period is not None and not extension_pending and period[1] - reminder <= today:
        yield item(DueKind.MONITORING_ENDING, period[1])


def _batches(queryset: QuerySet[Supervisee]) -> Iterator[list[Supervisee]]:
    batch: list[Supervisee] = []
    for supervisee in queryset.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(supervisee)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def refresh_due_items(*, supervisee_ids: Iterable[int] | None = None, today: dt.date | None = None) -> int:
    """Recompute the due items of some supervisees (or of everyone). Returns how many items exist for them now."""
    today = today or timezone.localdate()
    now = timezone.now()
    queryset = Supervisee.objects.filter(status__in=ACTIVE)
    ids = None if supervisee_ids is None else list(supervisee_ids)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
        DueItem.objects.filter(supervisee_id__in=ids).exclude(supervisee__status__in=ACTIVE).delete()
    else:
        DueItem.objects.exclude(supervisee__status__in=ACTIVE).delete()
    written = 0
    for batch in _batches(_annotated(queryset)):
        batch_ids = [s.pk for s in batch]
        approved, pending = _monitoring_by_supervisee(batch_ids, today)
        rows = [
            row
            for supervisee in batch
            for row in _items_for(supervisee, today, now, approved.get(supervisee.pk, []), supervisee.pk in pending)
        ]
        with transaction.atomic():
            DueItem.objects.filter(supervisee_id__in=batch_ids).delete()
            DueItem.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written
