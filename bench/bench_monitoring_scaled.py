"""The scaled shape under load: gateway → Redis shard streams → 1 or 2 writer processes → PostgreSQL.

`python -m bench monitoring_scaled`. Starts its own redis-server (append-only file on) on a free
port, a PostgreSQL cluster of its own with fsync on (removed at the end; `ZHENGTU_BENCH_PG=shared` or
an explicit ZHENGTU_DB_HOST/PORT: a database of its own on that server instead), then for 1 and 2 writers: one
`run_gateway` and the `run_ingest --writer N` processes, as `make scaled` runs them.

- **Stored fixes/s**: 1,000 watch-protocol wristbands on their own connections send as fast as
  the gateway reads (its back-pressure paces them) for SATURATE_SECONDS; rows counted in
  PostgreSQL from the first to the last second.
- **p99 receive → live event**: at PACED_RATE fixes/s, a subscriber follows the county's live
  channel, as a county page's web process does, and times each position event from the
  gateway's receive time carried through the stream (`received_at`) to its arrival.

Goal beside figures (issue 15): a nation is ~20,000 fixes/s (700,000 people, one fix per 30 s);
live events < 500 ms at p99. The machine is shared (2 cores, 8 engineers): load averages are printed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.support import (
    ROOT,
    backend_header,
    bulk_supervisees,
    child_pids,
    database_env,
    own_postgres,
    process_cpu_seconds,
    shared_server_asked,
)

DEVICES = 1_000
PACED_RATE = 2_000  # fixes/s for the latency phase
PACED_SECONDS = 10
SATURATE_SECONDS = 15
WARM_SECONDS = 3
NATION_FIXES_PER_SECOND = 20_000
LATENCY_GOAL_MS = 500


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def run() -> None:
    """On a PostgreSQL cluster of this run's own (fsync on), unless an existing server was asked for."""
    if shared_server_asked():
        print(backend_header("postgresql", where="existing server"), flush=True)
        _run(None)
        return
    with own_postgres() as cluster:
        print(backend_header("postgresql", where=f"own cluster in {cluster.directory}"), flush=True)
        _run(cluster.directory)


def _server_cpu(directory: Path | None) -> float:
    """CPU seconds so far of our own cluster's processes (0 on an existing server: other users' work)."""
    if directory is None:
        return 0.0
    try:
        postmaster = int((directory / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return sum(process_cpu_seconds(pid) for pid in [postmaster, *child_pids(postmaster)])


def _run(cluster_directory: Path | None) -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        print("skipped: redis-server is not installed (apt-get install redis-server)")
        return
    name = f"zt_bench_scaled_{os.getpid()}"
    env = database_env("postgresql", name)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings_scaled"
    redis_port, watch_port = _free_port(), _free_port()
    env["ZHENGTU_BENCH_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    env["ZHENGTU_BENCH_WATCH_PORT"] = str(watch_port)
    folder = tempfile.mkdtemp(prefix="zhengtu-bench-redis-")
    redis_process = subprocess.Popen(  # noqa: S603 - our own binary and arguments
        [binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--dir", folder]
        + ["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    print(f"machine at start: {_load()}")
    try:
        subprocess.check_call([sys.executable, "-m", "bench.bench_monitoring_scaled", "prepare"], cwd=ROOT, env=env)
        results = []
        for writers in (1, 2):
            results.append(_round(env, writers, redis_process.pid, cluster_directory))
        print()
        print(
            f"{'writers':>8} {'stored fixes/s':>15} {'goal (nation)':>14} {'at fixes/s':>11} {'p50 live':>9} "
            f"{'p99 live':>9} {'goal':>7}"
        )
        for writers, stored, rate, p50, p99, load in results:
            print(
                f"{writers:>8} {stored:>15,.0f} {NATION_FIXES_PER_SECOND:>14,} {rate:>11,} {p50:>7.0f}ms "
                f"{p99:>7.0f}ms {LATENCY_GOAL_MS:>5}ms   ({load})"
            )
        print(
            "Stored = rows committed in PostgreSQL per second while 1,000 connections sent flat out; live = "
            "gateway receive → position event on the county's Redis channel, below saturation."
        )
        print()
        subprocess.check_call([sys.executable, "-m", "bench.bench_monitoring_scaled", "fence"], cwd=ROOT, env=env)
    finally:
        subprocess.call([sys.executable, "-m", "bench.bench_monitoring_scaled", "drop"], cwd=ROOT, env=env)
        redis_process.terminate()
        redis_process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
        print(f"machine at end: {_load()}")


def _cpu(processes: list[subprocess.Popen[bytes]], redis_pid: int, cluster: Path | None) -> list[float]:
    """CPU seconds so far of the gateway, each writer, the redis-server and PostgreSQL, in that order."""
    return [process_cpu_seconds(process.pid) for process in processes] + [
        process_cpu_seconds(redis_pid),
        _server_cpu(cluster),
    ]


def _round(
    env: dict[str, str], writers: int, redis_pid: int, cluster: Path | None
) -> tuple[int, float, int, float, float, str]:
    import redis

    client = redis.Redis.from_url(env["ZHENGTU_BENCH_REDIS_URL"])
    client.flushall()
    round_env = dict(env, ZHENGTU_INGEST_WRITERS=str(writers))
    manage = [sys.executable, "manage.py"]
    log = open(os.path.join(tempfile.gettempdir(), f"zhengtu-bench-scaled-{os.getpid()}.log"), "a")  # noqa: SIM115
    print(f"{writers} writer(s): process logs in {log.name}", flush=True)
    commands = [[*manage, "run_gateway"]] + [[*manage, "run_ingest", "--writer", str(n)] for n in range(writers)]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=round_env, stdout=log, stderr=log)  # noqa: S603
        for command in commands
    ]
    try:
        port = int(env["ZHENGTU_BENCH_WATCH_PORT"])
        _wait_for_port(port)
        info = json.loads(
            subprocess.check_output([sys.executable, "-m", "bench.bench_monitoring_scaled", "info"], cwd=ROOT, env=env)
        )
        identifiers: list[str] = info["identifiers"]
        # Device time: two hours back for the first round, one hour back for the second (no fix repeats one stored).
        sender = Sender(port, identifiers, start=time.time() - 7200 + (writers - 1) * 3600)
        # Warm: one round, stored, before anything is timed (the first batch loads the writers' directory).
        count = _counter(env)
        baseline = count()  # the rows of an earlier round stay in the table
        warming = time.monotonic()
        sender.send_rounds(0, rate=None)
        deadline = warming + 600
        while count() - baseline < len(identifiers) * 0.9 and time.monotonic() < deadline:
            time.sleep(0.5)
        print(f"{writers} writer(s): first round stored after {time.monotonic() - warming:.0f} s", flush=True)
        # Throughput flat out.
        sender.send_rounds(WARM_SECONDS, rate=None)
        before, started = count(), time.monotonic()
        cpu_before = _cpu(processes, redis_pid, cluster) + [time.process_time()]
        sender.send_rounds(SATURATE_SECONDS, rate=None)
        sender_cpu = time.process_time() - cpu_before[-1]
        # What the gateway accepted goes on being stored after the senders stop: count it until it stays put.
        # (Through a shared machine the pipeline stalls for seconds at a time: settled = 15 s without a row.)
        last, grew_at = count(), time.monotonic()
        while time.monotonic() - grew_at < 15:
            time.sleep(1)
            now_count = count()
            if now_count != last:
                last, grew_at = now_count, time.monotonic()
        stored = (last - before) / (grew_at - started)
        used = [after - was for after, was in zip(_cpu(processes, redis_pid, cluster), cpu_before, strict=False)]
        fixes = max(1, last - before)
        server = (
            f"PostgreSQL {used[-1] / fixes * 1e6:.1f} µs"
            if cluster is not None
            else "PostgreSQL not counted (an existing server: other users' work too)"
        )
        per_fix = (
            f"CPU per fix stored: gateway {used[0] / fixes * 1e6:.1f} µs, "
            f"writers {sum(used[1:-2]) / fixes * 1e6:.1f} µs, redis {used[-2] / fixes * 1e6:.1f} µs, "
            f"{server}, senders {sender_cpu / fixes * 1e6:.1f} µs"
        )
        # Latency below saturation (queues would measure only the backlog): at PACED_RATE or half the
        # measured capacity, whichever is lower, where a county page's web process would receive it.
        rate = int(min(PACED_RATE, max(100, stored / 2)))
        latencies = _paced(client, info["county_id"], sender, rate)
        sender.close()
        log.flush()
        ordered = sorted(latencies) or [float("nan")]
        p50 = ordered[len(ordered) // 2]
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        load = _load()
        print(
            f"{writers} writer(s): {stored:,.0f} fixes/s stored; at {rate:,} fixes/s live p50 {p50:.0f} ms, p99 {p99:.0f} ms "
            f"(n={len(latencies)}); {sender.reconnects} reconnections; {load}\n    {per_fix}",
            flush=True,
        )
        return writers, stored, rate, p50, p99, load
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for_port(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            time.sleep(2)  # the writers start beside it
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the gateway did not start")


def _counter(env: dict[str, str]) -> Any:
    import psycopg

    connection = psycopg.connect(
        host="127.0.0.1", port=int(env["ZHENGTU_DB_PORT"]), user="postgres", dbname=env["ZHENGTU_BENCH_DB_NAME"],
        autocommit=True,
    )  # fmt: skip

    def count() -> int:
        row = connection.execute("SELECT count(*) FROM monitoring_position").fetchone()
        return int(row[0]) if row else 0

    return count


def _paced(client: Any, county_id: int, sender: Sender, rate: int) -> list[float]:
    latencies: list[float] = []
    pubsub = client.pubsub()
    pubsub.subscribe(f"zhengtu:monitoring:live:org:{county_id}")
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            message = pubsub.get_message(timeout=0.5)
            if message and message["type"] == "message":
                arrived = time.time()
                for event in json.loads(message["data"]):
                    if event.get("type") == "position" and "received_at" in event:
                        latencies.append((arrived - event["received_at"]) * 1000)

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    sender.send_rounds(2, rate=rate)
    latencies.clear()
    sender.send_rounds(PACED_SECONDS, rate=rate)
    time.sleep(2)
    stop.set()
    thread.join(5)
    pubsub.close()
    return latencies


class Sender:
    """One connection per wristband, watch protocol UD frames, a fix a second of device time each."""

    def __init__(self, port: int, identifiers: list[str], *, start: float) -> None:
        from zhengtu.monitoring.protocols.simulate import watch_link

        self.identifiers = identifiers
        self.port = port
        self.reconnects = 0
        self.sockets = [socket.create_connection(("127.0.0.1", port)) for _ in identifiers]
        for sock, identifier in zip(self.sockets, identifiers, strict=True):
            sock.sendall(watch_link(identifier))
        self.fix_time = dt.datetime.fromtimestamp(start, tz=dt.UTC)
        self.round = 0

    def send_rounds(self, seconds: float, *, rate: int | None) -> int:
        """Send round after round (one fix per device) for `seconds`; at `rate` fixes/s, or flat out."""
        from zhengtu.monitoring.protocols.simulate import watch_position

        sent = 0
        started = time.monotonic()
        while self.round == 0 or time.monotonic() - started < seconds:
            self.round += 1
            when = self.fix_time + dt.timedelta(seconds=self.round)
            for number, (sock, identifier) in enumerate(zip(self.sockets, self.identifiers, strict=True)):
                lat = 27.9 + 0.00001 * (self.round % 50) + 0.0001 * (number % 100)
                lon = 110.59 + 0.0001 * (number // 100)
                try:
                    sock.sendall(watch_position(identifier, when, lat, lon))
                    sent += 1
                except OSError:  # closed by the gateway (its batch was not stored in time): connect again
                    self.reconnects += 1
                    sock.close()
                    self.sockets[number] = socket.create_connection(("127.0.0.1", self.port))
            if rate is not None:
                target = started + sent / rate
                pause = target - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
        return sent

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


# -- in a child process with the bench's Django settings --------------------------------------------


def _prepare() -> None:
    import django
    import psycopg

    name = os.environ["ZHENGTU_BENCH_DB_NAME"]
    with psycopg.connect(
        host="127.0.0.1", port=int(os.environ["ZHENGTU_DB_PORT"]), user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from zhengtu.monitoring.models import Device, DeviceBinding, Fence, FenceKind, FenceShape
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.orgs.services import create_organisation

    call_command("migrate", verbosity=0)
    province = create_organisation(name="基准省社区矫正管理局", kind=OrganisationKind.PROVINCE_BUREAU)
    city = create_organisation(name="基准市社区矫正管理局", kind=OrganisationKind.CITY_BUREAU, parent=province)
    county = create_organisation(name="基准县社区矫正管理局", kind=OrganisationKind.COUNTY_BUREAU, parent=city)
    offices = [
        create_organisation(name=f"基准第{i + 1}司法所", kind=OrganisationKind.JUSTICE_OFFICE, parent=county)
        for i in range(10)
    ]
    people = bulk_supervisees(DEVICES, offices=offices, tag="bench-scaled")
    devices = Device.objects.bulk_create(
        [
            Device(identifier=f"{13_900_000_000 + i}", kind="wristband", protocol="watch", organisation=county)
            for i in range(DEVICES)
        ]
    )
    now = timezone.now()
    DeviceBinding.objects.bulk_create(
        [
            DeviceBinding(
                device=d, supervisee=p, starts_at=now - dt.timedelta(days=30), ends_at=now + dt.timedelta(days=60)
            )
            for d, p in zip(devices, people, strict=True)
        ]
    )
    ring = [[110.4, 27.8], [110.8, 27.8], [110.8, 28.1], [110.4, 28.1], [110.4, 27.8]]
    Fence.objects.create(
        name="基准县", kind=FenceKind.INCLUSION, shape=FenceShape.POLYGON, organisation=county,
        geometry={"type": "Polygon", "coordinates": [ring]},
    )  # fmt: skip


def _info() -> None:
    import django

    django.setup()
    from zhengtu.monitoring.models import Device
    from zhengtu.orgs.models import Organisation

    county = Organisation.objects.get(name="基准县社区矫正管理局")
    identifiers = list(Device.objects.order_by("pk").values_list("identifier", flat=True))
    print(json.dumps({"county_id": county.pk, "identifiers": identifiers}))


FENCE_BATCHES = 2_000
FIXES_PER_BATCH_CPU_MS = 2_000 * 0.054  # a full batch (BATCH_MAX 2,000) at ~54 µs of writer CPU a fix (README)


def _fence_cost() -> None:
    """CPU of the shard fence per batch: the same transaction with and without the check, the
    writer's CPU (process_time) and the PostgreSQL backend's (its /proc entry), over FENCE_BATCHES."""
    import django

    django.setup()
    from django.db import connection, transaction

    from bench.support import process_cpu_seconds
    from zhengtu.monitoring.stream_writer import StreamWriter

    writer = StreamWriter(url=os.environ["ZHENGTU_BENCH_REDIS_URL"], consumer="bench-fence")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])

    def loop(check: Any) -> tuple[float, float]:
        cpu, server = time.process_time(), process_cpu_seconds(backend)
        for _ in range(FENCE_BATCHES):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # the batch's own work stands in for this
                if check is not None:
                    check()
        return (time.process_time() - cpu) / FENCE_BATCHES, (process_cpu_seconds(backend) - server) / FENCE_BATCHES

    print(f"shard fence, CPU per batch (one statement in the batch's transaction; {FENCE_BATCHES:,} batches):")
    for shards in ([0], [0, 2, 4, 6]):
        writer._held = dict.fromkeys(shards, 10**6)
        with connection.cursor() as cursor:
            for shard in shards:
                cursor.execute(
                    "INSERT INTO monitoring_shard_fence (shard, token) VALUES (%s, %s) "
                    "ON CONFLICT (shard) DO UPDATE SET token = excluded.token",
                    [shard, 10**6],
                )
        loop(writer._fence(shards))  # warm
        writer.fence_cpu, writer.fence_checks = 0.0, 0
        client, server = [], []
        for _round in range(3):  # alternated, the median kept: the machine is shared
            base_client, base_server = loop(None)
            fenced_client, fenced_server = loop(writer._fence(shards))
            client.append(fenced_client - base_client)
            server.append(fenced_server - base_server)
        client_us = max(0.0, sorted(client)[1]) * 1e6
        server_us = max(0.0, sorted(server)[1]) * 1e6
        inside_us = writer.fence_cpu / max(1, writer.fence_checks) * 1e6
        print(
            f"  {len(shards)} shard(s) in the batch: writer {client_us:,.0f} µs (inside the statement {inside_us:,.0f} µs) "
            f"+ PostgreSQL backend {server_us:,.0f} µs = {(client_us + server_us) / 1000:.2f} ms; a full batch costs "
            f"~{FIXES_PER_BATCH_CPU_MS:.0f} ms of writer CPU ({(client_us + server_us) / 10 / FIXES_PER_BATCH_CPU_MS:.2f} %)"
            f"   ({_load()})",
            flush=True,
        )


def _drop() -> None:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=int(os.environ["ZHENGTU_DB_PORT"]), user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{os.environ["ZHENGTU_BENCH_DB_NAME"]}" WITH (FORCE)')


if __name__ == "__main__":
    {"prepare": _prepare, "info": _info, "drop": _drop, "fence": _fence_cost}[sys.argv[1]]()
