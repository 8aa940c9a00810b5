"""The ingest writer alone: CPU per fix of one batch, at the batch sizes the embedded shape sees.

`python -m bench monitoring` measures the whole embedded shape (load generator, gateway, writer
process, database) on the same two cores; its per-process CPU figures move with the machine's
load and the batch sizes that load makes. This measures only the writer's stage, in this process,
on the same data (`bench_monitoring._build_data`: 5,200 devices of four protocols, the county
fence, a school circle, a home curfew circle for one person in ten, 5 % of the people walking to
and fro across the county border): the packed submissions the gateway hands over
(`handoff.pack_reports`, built beforehand, not measured) go through what the writer process
does with them — `handoff.unpack_reports`, `BatchProcessor.process` (one transaction, commit
included), `handoff.pack_outcomes` — at BATCH_SIZES reports (one fix each) per batch.

Printed per batch size: writer CPU per fix (`time.process_time`, so the machine's load does not
count, within the noise of a shared machine), per batch, and on PostgreSQL the server's CPU per
fix (its backend, from /proc); fence alerts raised. Goal: writer ≤ GOAL_US µs per fix at the
saturation batch size (issue 15: 20,000 fixes/s on two cores leave 100 µs for every process).

Environment: ZHENGTU_BENCH_BACKENDS (sqlite,postgresql), ZHENGTU_BENCH_WRITER_FIXES (fixes per
batch size, 60000), ZHENGTU_BENCH_WRITER_SIZES (30,250,2000).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import sys
import time
from typing import Any

from bench.support import drop_database, fresh_database, machine_load, run_on

GOAL_US = 30  # writer CPU per fix at saturation (the bench's batches of about 2,000)
BATCH_SIZES = tuple(int(n) for n in os.environ.get("ZHENGTU_BENCH_WRITER_SIZES", "30,250,2000").split(","))
FIXES = int(os.environ.get("ZHENGTU_BENCH_WRITER_FIXES", "60000"))


def run() -> None:
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        run_on("bench.bench_monitoring_writer", backend, f"zt_bench_writer_{os.getpid()}")


def _reports(plans: list[dict[str, Any]], round_: int, start: dt.datetime) -> list[Any]:
    """One report per device: its fix number `round_` (the devices report every 30 s)."""
    from zhengtu.monitoring.processing import Report
    from zhengtu.monitoring.protocols.base import DeviceMessage, Fix, MessageKind

    when = start + dt.timedelta(seconds=30 * round_)
    received = dt.datetime.now(tz=dt.UTC)
    reports = []
    for i, plan in enumerate(plans):
        lat, lon = plan["points"][round_ % len(plan["points"])]
        fix = Fix(when, lat, lon, True, 4.0, 90.0, 50.0, 9 if plan["protocol"] != "osmand" else None, None)
        battery = 80 if plan["protocol"] in ("jt808", "watch") else None
        message = DeviceMessage(plan["identifier"], MessageKind.LOCATION, [fix], set(), battery, i % 3 == 0, {})
        reports.append(Report(plan["protocol"], message, received, time.monotonic(), "127.0.0.1:40000", True))
    return reports


def _child(backend: str) -> None:
    fresh_database(backend)
    import django

    django.setup()
    from django.core.management import call_command

    from bench.bench_monitoring import _build_data
    from zhengtu.monitoring.handoff import pack_reports, unpack_reports
    from zhengtu.monitoring.ingest import writer_session
    from zhengtu.monitoring.live import bus
    from zhengtu.monitoring.processing import BatchProcessor, warm_up
    from zhengtu.monitoring.writer_process import tune_collector

    call_command("migrate", verbosity=0)
    plans = _build_data(random.Random(808))  # noqa: S311
    warm_up()
    relayed: list[dict[str, Any]] = []
    bus.relay_to(relayed.extend)  # as in the writer process (no live page in the monitoring bench)
    processor = BatchProcessor()
    start = dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=5)
    round_ = 0
    # Warm up: every device's state and drift counters loaded, the directory compiled.
    for report_batch in _chunks(_reports(plans, round_, start), 2000):
        processor.process(unpack_reports(pack_reports(report_batch)))
    round_ += 1
    tune_collector()  # as the writer process does after start-up
    print(f"  {len(plans)} devices; {machine_load()}", flush=True)
    with writer_session():  # as the writer process: on SQLite its checkpointer thread beside it (CPU counted)
        _measure(backend, plans, processor, relayed, start, round_)


def _measure(
    backend: str, plans: list[dict[str, Any]], processor: Any, relayed: list[Any], start: dt.datetime, round_: int
) -> None:
    from bench.support import database_server_cpu_seconds
    from zhengtu.monitoring.handoff import pack_outcomes, pack_reports, unpack_reports
    from zhengtu.monitoring.models import Alert, Position

    for size in BATCH_SIZES:
        batches: list[Any] = []
        while len(batches) * size < FIXES:
            for report_batch in _chunks(_reports(plans, round_, start), size):
                batches.append(pack_reports(report_batch))
            round_ += 1
        batches = batches[: max(1, FIXES // size)]
        alerts_before = Alert.objects.count()
        positions_before = Position.objects.count()
        gc.collect()
        server_before = database_server_cpu_seconds() if backend == "postgresql" else None
        cpu = time.process_time()
        wall = time.monotonic()
        fixes = 0
        for packed in batches:
            reports = unpack_reports(packed)
            outcomes = processor.process(reports)
            pack_outcomes(outcomes)
            relayed.clear()
            fixes += len(reports)
        cpu = time.process_time() - cpu
        wall = time.monotonic() - wall
        server = ""
        if server_before is not None:
            after = database_server_cpu_seconds()
            if after is not None:
                server = f", PostgreSQL {1e6 * (after - server_before) / fixes:.1f} µs per fix"
        stored = Position.objects.count() - positions_before
        alerts = Alert.objects.count() - alerts_before
        print(
            f"  batches of {size:>5}: writer {1e6 * cpu / fixes:6.1f} µs CPU per fix "
            f"({1e3 * cpu / len(batches):7.2f} ms per batch; goal ≤ {GOAL_US} µs at saturation){server}; "
            f"{stored} of {fixes} stored, {alerts} alerts; wall {wall:.1f} s; {machine_load()}",
            flush=True,
        )


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


if __name__ == "__main__":
    backend = sys.argv[1]
    try:
        _child(backend)
    finally:
        drop_database(backend)
