"""The offline storm in the ingest writer: CPU and SQL statements per offline alert.

In the embedded shape the minute job hands offline detection to the ingest writer process, which
plans the storm at once and raises it in chunks between its batches of fixes
(`writer_process.OfflineWork`). Whatever a chunk costs, fence and SOS alerts queued behind it
wait for; a storm of 5,000 devices cost the writer about 10 s of CPU in the 90 s live benchmark
(`monitoring_live`), on a writer already busy two thirds of the time.

This measures the same work alone, in this process (so on a shared machine the CPU seconds
count, not the wall clock): OFFICES offices with an officer each, ACTIVE reporting devices and
SILENT devices silent past their offline limit, all bound; then

- planning (`alerts.plan_offline`) and raising every chunk (`alerts.raise_offline_chunk`, chunks
  of `writer_process.WRITER_OFFLINE_CHUNK`): CPU (`time.process_time`) and SQL statements, per
  alert and per chunk; rows written (alerts, alert events, notifications) and live events;
- the same storm with alert channels on (a delivery job queued in a SQLite job queue, as the
  embedded shape's Huey);
- the writer's check, on every batch of fixes, for open offline alerts of the batch's devices
  (`BatchProcessor._clear_offline`), before the storm, with its alerts open, and when the silent
  devices report again (their alerts cleared): CPU and statements per batch.

Goal: writer CPU per offline alert < GOAL_US µs (a storm of 5,000 well under a second of the
writer's CPU), statements per chunk independent of the chunk's size.

Environment: ZHENGTU_BENCH_BACKENDS (sqlite,postgresql), ZHENGTU_BENCH_STORM_SILENT (5000),
ZHENGTU_BENCH_STORM_ACTIVE (5000).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.support import bind_for_a_quarter, bulk_supervisees, drop_database, machine_load, run_on

GOAL_US = 200  # writer CPU per offline alert
SILENT = int(os.environ.get("ZHENGTU_BENCH_STORM_SILENT", "5000"))
ACTIVE = int(os.environ.get("ZHENGTU_BENCH_STORM_ACTIVE", "5000"))
OFFICES = 20
BATCH_DEVICES = 250  # devices in one batch of fixes (the live benchmark's batches are about this size)


def run() -> None:
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        run_on("bench.bench_monitoring_storm", backend, f"zt_bench_storm_{os.getpid()}")


class Statements:
    """Counts the SQL statements run on the default connection inside `counting()`."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)

    @contextmanager
    def counting(self) -> Iterator[None]:
        from django.db import connection

        with connection.execute_wrapper(self):
            yield


def _build() -> tuple[list[int], list[int]]:
    """Offices with an officer each, ACTIVE + SILENT people with a bound device; the silent
    devices' last report past their limit. Returns the active and the silent devices' ids."""
    from django.utils import timezone

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.monitoring.models import Device, DeviceState
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.orgs.services import create_organisation

    county = create_organisation(name="基准县社区矫正管理局", kind=OrganisationKind.COUNTY_BUREAU)
    offices = [
        create_organisation(name=f"基准第{i + 1}司法所", kind=OrganisationKind.JUSTICE_OFFICE, parent=county)
        for i in range(OFFICES)
    ]
    officers = [
        User.objects.create(username=f"bench_storm_officer{i}", role=Role.OFFICE_OFFICER, organisation=office)
        for i, office in enumerate(offices)
    ]
    total = ACTIVE + SILENT
    people = bulk_supervisees(total, offices=offices, officers=officers, tag="bench-storm")
    devices = Device.objects.bulk_create(
        [
            Device(identifier=f"{868_140_000_000_000 + i}", kind="wristband", protocol="gt06", organisation=county)
            for i in range(total)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    bind_for_a_quarter(devices, people)
    silent_since = now - dt.timedelta(minutes=31)
    DeviceState.objects.bulk_create(
        [DeviceState(device=d, last_seen_at=now if i < ACTIVE else silent_since) for i, d in enumerate(devices)],
        batch_size=1000,
    )
    return [d.pk for d in devices[:ACTIVE]], [d.pk for d in devices[ACTIVE:]]


def _storm(label: str) -> None:
    """Plan and raise the storm as the writer does; print CPU and statements per alert."""
    from django.utils import timezone

    from zhengtu.monitoring.alerts import plan_offline, raise_offline_chunk
    from zhengtu.monitoring.live import bus
    from zhengtu.monitoring.models import Alert, AlertEvent, AlertKind
    from zhengtu.monitoring.writer_process import WRITER_OFFLINE_CHUNK
    from zhengtu.workspace.models import Notification

    events: list[dict[str, Any]] = []
    bus.relay_to(events.extend)  # as in the writer process: events go to the gateway's process
    alerts_before = Alert.objects.count()
    alert_events_before = AlertEvent.objects.count()
    notes_before = Notification.objects.count()
    plan_statements, raise_statements = Statements(), Statements()
    now = timezone.now()
    started = time.process_time()
    with plan_statements.counting():
        chunks = plan_offline(now=now, chunk=WRITER_OFFLINE_CHUNK)
    planned = time.process_time() - started
    raised = 0
    per_chunk: list[int] = []
    started = time.process_time()
    for office_id, items in chunks:
        before = raise_statements.count
        with raise_statements.counting():
            raised += raise_offline_chunk(office_id, items, now)
        per_chunk.append(raise_statements.count - before)
    raising = time.process_time() - started
    bus.relay_to(None)
    replan_statements = Statements()
    started = time.process_time()
    with replan_statements.counting():
        again = plan_offline(now=now + dt.timedelta(minutes=1), chunk=WRITER_OFFLINE_CHUNK)
    replanned = time.process_time() - started
    total = planned + raising
    per_alert_us = total / max(raised, 1) * 1e6
    verdict = "MET" if per_alert_us < GOAL_US else "NOT MET"
    print(f"  {label}: {raised:,} offline alerts in {len(chunks)} chunks of up to {WRITER_OFFLINE_CHUNK}", flush=True)
    print(
        f"    plan {planned * 1000:,.0f} ms CPU, {plan_statements.count} statements; "
        f"raise {raising * 1000:,.0f} ms CPU, {raise_statements.count:,} statements "
        f"({min(per_chunk, default=0)}–{max(per_chunk, default=0)} per chunk)",
        flush=True,
    )
    print(
        f"    writer CPU per offline alert: {per_alert_us:,.0f} µs   goal < {GOAL_US} µs  {verdict}   "
        f"(statements per alert {(plan_statements.count + raise_statements.count) / max(raised, 1):.2f}; "
        f"{machine_load()})",
        flush=True,
    )
    print(
        f"    the next minute's plan, every silent device alerted: {replanned * 1000:,.1f} ms CPU, "
        f"{replan_statements.count} statements, {sum(len(items) for _office, items in again)} alerts due",
        flush=True,
    )
    print(
        f"    rows: {Alert.objects.count() - alerts_before:,} alerts, "
        f"{AlertEvent.objects.count() - alert_events_before:,} alert events, "
        f"{Notification.objects.count() - notes_before:,} notifications; {len(events)} live events "
        f"(offline: {sum(1 for e in events if e.get('kind') == AlertKind.OFFLINE)})",
        flush=True,
    )


def _clearing(label: str, device_ids: list[int]) -> None:
    """The check every batch of fixes makes for open offline alerts of its devices (clearing them)."""
    from django.db import transaction
    from django.utils import timezone

    from zhengtu.monitoring.models import Alert, AlertKind
    from zhengtu.monitoring.processing import BatchProcessor

    processor = BatchProcessor()
    open_alerts = Alert.objects.filter(kind=AlertKind.OFFLINE, cleared_at__isnull=True).count()
    batches = [set(device_ids[i : i + BATCH_DEVICES]) for i in range(0, len(device_ids), BATCH_DEVICES)] or [set()]
    with transaction.atomic():  # not timed: the first statement of its kind (compiled, cached)
        processor._clear_offline({0}, timezone.now())
    statements = Statements()
    started = time.process_time()
    with statements.counting():
        for batch in batches:
            with transaction.atomic():
                processor._clear_offline(batch, timezone.now())
    spent = (time.process_time() - started) / len(batches)
    still = Alert.objects.filter(kind=AlertKind.OFFLINE, cleared_at__isnull=True).count()
    print(
        f"  {label}, {BATCH_DEVICES} devices a batch, {open_alerts:,} offline alerts open: "
        f"{spent * 1e6:,.0f} µs CPU and {statements.count / len(batches):.1f} statements a batch "
        f"(with the transaction's); {open_alerts - still:,} cleared; {machine_load()}",
        flush=True,
    )


def _child(backend: str) -> None:
    from bench.support import fresh_database

    fresh_database(backend)
    # The embedded shape's job queue (SQLite), for the run with alert channels on.
    os.environ["ZHENGTU_BENCH_HUEY_FILE"] = os.path.join(
        tempfile.mkdtemp(prefix="zhengtu-bench-storm-"), "jobs.sqlite3"
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from zhengtu.monitoring.models import Alert, AlertKind
    from zhengtu.monitoring.processing import warm_up

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    active, silent = _build()
    warm_up()
    print(
        f"  setup: {ACTIVE:,} reporting + {SILENT:,} silent devices, {OFFICES} offices with an officer each, "
        f"in {time.monotonic() - started:.0f} s; {machine_load()}",
        flush=True,
    )
    print("  the writer's check for offline alerts to clear, on every batch of fixes:", flush=True)
    _clearing("  reporting devices, before the storm", active)
    _storm("storm, alert channels off (as monitoring_live)")
    _clearing("  reporting devices, during the storm", active)
    _clearing("  the storm's devices reporting again", silent)

    # Again with a delivery channel: each alert's delivery goes through the job queue (SQLite, as
    # the embedded shape), which the writer pays for when it queues.
    from huey.contrib import djhuey

    Alert.objects.filter(kind=AlertKind.OFFLINE).delete()
    settings.ZHENGTU_MONITORING_ALERT_CHANNELS = ["zhengtu.monitoring.alert_channels.WeComWebhookChannel"]
    settings.ZHENGTU_MONITORING_WECOM_WEBHOOK_URL = "http://127.0.0.1:9/unused"
    _storm("storm, alert channels on (delivery jobs in a SQLite queue)")
    print(f"    delivery jobs queued: {len(djhuey.HUEY):,}", flush=True)


if __name__ == "__main__":
    try:
        _child(sys.argv[1])
    finally:
        drop_database(sys.argv[1])
