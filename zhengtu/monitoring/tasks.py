"""Periodic and background jobs (Huey): offline detection, escalation, channels, retention."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def check_offline_and_escalate() -> None:
    from .alert_channels import redeliver_lost
    from .alerts import detect_offline, escalate_overdue_alerts
    from .writer_process import hand_to_writer

    if not hand_to_writer("offline"):  # embedded shape: the writer process raises them between batches
        detect_offline()
    escalate_overdue_alerts()
    redeliver_lost()  # deliveries whose job a Redis crash lost


@db_periodic_task(crontab(minute="17", hour="3"))
def maintain_positions() -> None:
    from .retention import apply_retention, ensure_partitions

    ensure_partitions()
    apply_retention()


@db_task(retries=3, retry_delay=30)
def deliver_alert(alert_id: int, reason: str) -> None:
    from .alert_channels import deliver

    deliver(alert_id, reason)


@db_task(retries=3, retry_delay=30)
def deliver_alerts(alert_ids: list[int], reason: str) -> None:
    """A chunk of an offline storm: one job for all its alerts (queueing one per alert cost the
    ingest writer a write to the job queue each). An alert already sent or failed through its
    channels is skipped, so a retry after a database error sends nothing twice."""
    from .alert_channels import deliver
    from .models import AlertEvent

    done = set(
        AlertEvent.objects.filter(alert_id__in=alert_ids, action__in=["notified", "notify_failed"]).values_list(
            "alert_id", flat=True
        )
    )
    for alert_id in alert_ids:
        if alert_id not in done:
            deliver(alert_id, reason)
