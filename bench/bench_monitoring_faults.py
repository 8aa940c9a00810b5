"""`python -m bench monitoring_faults`: the embedded shape under kill -9 and a database crash.

A throw-away PostgreSQL cluster of this run's own (initdb in a temporary folder, on a free port,
fsync on; the shared test cluster on 5433 is never touched) serves `manage.py serve` (web,
gateway, job consumer and the writer child process, as `make run` starts them). DEVICES JT/T 808
devices, authenticated, send fixes and behave as real terminals do: a fix counts as delivered
only when the platform's 0x8001 reply for its serial number arrives; a connection that breaks
is opened again (authentication first) and every unacknowledged fix is sent again, in order.
One device in ten leaves the county once and stays out (exactly one fence alert each), one in
ten presses SOS once; every alert goes to a WeCom webhook (a receiver in this process) through
the job queue.

While they send: kill -9 of the writer child; kill -9 of the serve process (web and gateway are
one process in the embedded shape), started again; an immediate (crash) restart of PostgreSQL.
Then the devices stop and send what is unacknowledged until everything is. Printed:

- acknowledged fixes lost (goal 0), fixes stored twice (goal 0);
- fence and SOS alerts duplicated (goal 0) and missing;
- alert deliveries: duplicated, missing; jobs retried and failed (from the job queue's signals).

Then the same drill on the **scaled shape** (`ZHENGTU_BENCH_FAULT_SHAPES`, default `embedded
scaled`): a PostgreSQL cluster and a redis-server of its own (append-only file, `appendfsync
everysec`, as `make scaled` and the deploy docs run it), and the processes of deploy/Procfile —
`serve` (web), `run_gateway`, `run_ingest --writer 0` and `--writer 1`, `run_huey` (jobs on that
Redis). While the devices send: kill -9 of the gateway, of writer 0 and of the web process, each
started again; kill -9 of writer 1, not started again until writer 0 has taken its shards over and
stored their fixes for a while (printed), then started again (its shards given back); a crash of Redis (kill -9: what the last second appended may be lost) and its
start; an immediate restart of PostgreSQL. Printed as above, plus the stream entries left
pending. A fix is answered only after the writer's commit, so an entry Redis loses was either
never answered (its device sends it again) or already stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import os
import random
import resource
import select
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

from bench.support import ROOT, WORK, PgCluster, bulk_supervisees
from bench.support import free_port_near as _free_port

DEVICES = int(os.environ.get("ZHENGTU_BENCH_FAULT_DEVICES", "300"))
FIXES_PER_SECOND = 2.0  # per device
AUTH_CODE = "drill0808"
BOX = (27.70, 110.30, 28.10, 110.90)
STEP_SECONDS = 8  # between two faults


def run() -> None:
    print(f"  machine: {os.cpu_count()} cores, {_uptime()} before the run", flush=True)
    shapes = os.environ.get("ZHENGTU_BENCH_FAULT_SHAPES", "embedded scaled").split()
    for shape in shapes:
        if shape == "scaled" and shutil.which("redis-server") is None:
            print("  scaled shape skipped: redis-server is not installed (apt-get install redis-server)")
            continue
        print(f"  -- {shape} shape --", flush=True)
        _run_shape(shape)


def _run_shape(shape: str) -> None:
    cluster = PgCluster()
    try:
        cluster.start()
        print(f"  own PostgreSQL cluster on 127.0.0.1:{cluster.port} (fsync on) in {cluster.directory}", flush=True)
        env = dict(os.environ)
        WORK.mkdir(parents=True, exist_ok=True)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.settings_scaled" if shape == "scaled" else "bench.settings",
                "ZHENGTU_BENCH_DB": "postgresql",
                "ZHENGTU_BENCH_DB_NAME": f"zt_bench_faults_{shape}",
                "ZHENGTU_DB_PORT": str(cluster.port),
                "ZHENGTU_BENCH_PG_DIR": str(cluster.directory),
            }
        )
        subprocess.call([sys.executable, "-m", "bench.bench_monitoring_faults", "postgresql", shape], cwd=ROOT, env=env)
    finally:
        cluster.stop()


def _uptime() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


# -- the devices (no Django) ---------------------------------------------------------------------


class _Device:
    __slots__ = ("identifier", "frames", "sent", "acked", "sock", "buffer", "retry_at", "resent")

    def __init__(self, identifier: str, frames: list[bytes]) -> None:
        self.identifier, self.frames = identifier, frames
        self.sent = 0  # frames handed to a connection at least once (in order)
        self.acked: set[int] = set()
        self.sock: socket.socket | None = None
        self.buffer = bytearray()
        self.retry_at = 0.0
        self.resent = 0


def _replies(device: _Device) -> list[tuple[int, int, int]]:
    """(reply serial, reply message id, result) of every complete 0x8001 frame received."""
    from zhengtu.monitoring.protocols import jt808

    out = []
    for frame in jt808.extract_frames(device.buffer, 4096):
        if isinstance(frame, Exception):
            continue
        content = jt808.unescape(frame[1:-1])[:-1]
        if int.from_bytes(content[0:2], "big") == 0x8001 and len(content) >= 17:
            body = content[12:]
            out.append((int.from_bytes(body[0:2], "big"), int.from_bytes(body[2:4], "big"), body[4]))
    return out


def _devices_process(plans: list[dict[str, Any]], port: int, control: Any, results: Any) -> None:
    from zhengtu.monitoring.protocols import simulate

    resource.setrlimit(resource.RLIMIT_NOFILE, (8_000, 8_000))
    start = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=1)).replace(microsecond=0)  # BCD time: seconds
    devices = []
    for plan in plans:
        frames = []
        for index, (lat, lon, sos) in enumerate(plan["points"]):
            when = start + dt.timedelta(seconds=30 * index)
            frames.append(
                simulate.jt808_location(plan["identifier"], when, lat, lon, serial=index + 10, alarm_bits=int(sos))
            )
        devices.append(_Device(plan["identifier"], frames))
    poller = select.epoll()
    by_fd: dict[int, _Device] = {}
    reconnects = 0

    def connect(device: _Device, now: float) -> None:
        nonlocal reconnects
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=0.5)
        except OSError:
            device.retry_at = now + 0.5
            return
        sock.setblocking(False)
        device.sock, device.buffer = sock, bytearray()
        by_fd[sock.fileno()] = device
        poller.register(sock.fileno(), select.EPOLLIN)
        payload = simulate.jt808_auth(device.identifier, AUTH_CODE, serial=1)
        # Everything sent before and not acknowledged goes again, in order.
        unacked = [i for i in range(device.sent) if i not in device.acked]
        device.resent += len(unacked) if device.sent else 0
        payload += b"".join(device.frames[i] for i in unacked)
        if device.sent:
            reconnects += 1
        try:
            sock.sendall(payload)
        except OSError:
            drop(device, now)

    def drop(device: _Device, now: float) -> None:
        if device.sock is not None:
            by_fd.pop(device.sock.fileno(), None)
            with contextlib.suppress(OSError, ValueError):
                poller.unregister(device.sock.fileno())
            device.sock.close()
            device.sock = None
        device.retry_at = now + 0.5

    def pump(timeout: float) -> None:
        now = time.monotonic()
        for fd, _event in poller.poll(timeout):
            device = by_fd.get(fd)
            if device is None or device.sock is None:
                continue
            try:
                chunk = device.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                chunk = b""
            if not chunk:
                drop(device, now)
                continue
            device.buffer += chunk
            for serial, message_id, result in _replies(device):
                if message_id == 0x0200 and result == 0:
                    device.acked.add(serial - 10)
        for device in devices:
            if device.sock is None and now >= device.retry_at:
                connect(device, now)

    for device in devices:
        connect(device, time.monotonic())
    pump(1.0)
    results.put("connected")
    control.get()
    began = time.monotonic()
    sending = True
    while True:
        now = time.monotonic()
        if sending and not control.empty():
            control.get()
            sending = False
        if sending:
            due = int((now - began) * FIXES_PER_SECOND) + 1
            for device in devices:
                while device.sent < min(due, len(device.frames)):
                    index = device.sent
                    device.sent += 1
                    if device.sock is not None:
                        try:
                            device.sock.sendall(device.frames[index])
                        except OSError:
                            drop(device, now)
        elif all(len(d.acked) >= d.sent for d in devices) or now - began > 600:
            break
        pump(0.01)
    results.put(
        {
            "sent": {d.identifier: d.sent for d in devices},
            "acked": {d.identifier: sorted(d.acked) for d in devices},
            "resent": sum(d.resent for d in devices),
            "reconnects": reconnects,
            "start": start,
        }
    )
    for device in devices:
        if device.sock is not None:
            device.sock.close()


# -- the webhook (alert deliveries) --------------------------------------------------------------


class _Webhook(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", "0"))
        _Webhook.received.append(self.rfile.read(length))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args: Any) -> None:
        return None


# -- the drill -----------------------------------------------------------------------------------


def _build(rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, int], set[int], set[int]]:
    from django.utils import timezone

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.monitoring.models import Device, DeviceBinding, DeviceState, Fence, FenceKind, FenceShape
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.orgs.services import create_organisation

    county = create_organisation(name="演练县社区矫正管理局", kind=OrganisationKind.COUNTY_BUREAU)
    office = create_organisation(name="演练司法所", kind=OrganisationKind.JUSTICE_OFFICE, parent=county)
    officer = User.objects.create(username="drill_officer", role=Role.OFFICE_OFFICER, organisation=office)
    people = bulk_supervisees(
        DEVICES, offices=[office], officers=[officer], tag="drill", name="演练{i:04d}", organ="演练县人民法院"
    )
    devices = Device.objects.bulk_create(
        [
            Device(
                identifier=f"{13_700_000_000 + i}".zfill(12),
                kind="wristband",
                protocol="jt808",
                organisation=county,
                auth_code=AUTH_CODE,
            )  # fmt: skip
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
    DeviceState.objects.bulk_create([DeviceState(device=d, last_seen_at=now) for d in devices])
    min_lat, min_lon, max_lat, max_lon = BOX
    ring = [[min_lon, min_lat], [max_lon, min_lat], [max_lon, max_lat], [min_lon, max_lat], [min_lon, min_lat]]
    Fence.objects.create(
        name="演练县", kind=FenceKind.INCLUSION, shape=FenceShape.POLYGON, organisation=county,
        geometry={"type": "Polygon", "coordinates": [ring]},
    )  # fmt: skip
    total = int(FIXES_PER_SECOND * (STEP_SECONDS * 6 + 120))
    plans = []
    leavers: set[int] = set()
    sos: set[int] = set()
    for i, (device, person) in enumerate(zip(devices, people, strict=True)):
        lon = rng.uniform(min_lon + 0.05, max_lon - 0.05)
        leave_at = 4 + (i * 7) % int(FIXES_PER_SECOND * STEP_SECONDS * 5) if i % 10 == 0 else None
        sos_at = 4 + (i * 13) % int(FIXES_PER_SECOND * STEP_SECONDS * 5) if i % 10 == 5 else None
        points = []
        for index in range(total):
            outside = leave_at is not None and index >= leave_at
            lat = max_lat + 0.002 if outside else max_lat - 0.002 + rng.uniform(-0.0001, 0.0001)
            points.append((lat, lon, index == sos_at))
        if leave_at is not None:
            leavers.add(person.pk)
        if sos_at is not None:
            sos.add(person.pk)
        plans.append({"identifier": device.identifier, "points": points})
    return plans, {d.identifier: d.pk for d in devices}, leavers, sos


def _writer_pid(server_pid: int) -> int | None:
    """The writer child of the serve process (spawned by one of its threads)."""
    for task in Path(f"/proc/{server_pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if b"multiprocessing" in command and b"resource_tracker" not in command:
                return int(child)
    return None


def _set_up_drill() -> tuple[Any, ...]:
    """What the drill of either shape starts from: a fresh database with the devices and people, the
    PostgreSQL cluster it will crash, the webhook receiver and a var folder for the job log."""
    from bench.support import fresh_database

    fresh_database("postgresql")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    plans, device_ids, leavers, sos = _build(random.Random(42))  # noqa: S311
    connections.close_all()
    cluster = PgCluster(Path(os.environ["ZHENGTU_BENCH_PG_DIR"]), int(os.environ["ZHENGTU_DB_PORT"]))
    webhook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
    threading.Thread(target=webhook.serve_forever, daemon=True).start()
    var_dir = tempfile.mkdtemp(prefix="zhengtu-drill-var-")
    return plans, device_ids, leavers, sos, cluster, webhook, var_dir, Path(var_dir) / "jobs.log"


def _child() -> None:
    from bench.bench_monitoring_live import _server, _stop_server

    plans, device_ids, leavers, sos, cluster, webhook, var_dir, job_log = _set_up_drill()

    from django.db import connection

    extra = {
        "ZHENGTU_BENCH_WEBHOOK_URL": f"http://127.0.0.1:{webhook.server_address[1]}/hook",
        "ZHENGTU_BENCH_JOB_LOG": str(job_log),
    }
    web_port, gateway_port = _free_port(), _free_port()
    # Every protocol on a free port (the defaults may be taken by another server on this machine).
    ports = {"jt808": gateway_port, "gt06": _free_port(), "watch": _free_port(), "osmand": _free_port()}

    def serve() -> subprocess.Popen[bytes]:
        began = time.monotonic()
        process = _server(web_port, ports, var_dir, extra)
        print(f"    serve process {process.pid} up in {time.monotonic() - began:.0f} s", flush=True)
        return process

    server = serve()
    load, control, results = _start_devices(plans, gateway_port)
    try:
        _devices_go(control, results, connect_timeout=120)
        time.sleep(STEP_SECONDS)
        writer = _writer_pid(server.pid)
        if writer is None:
            print("  no writer child found (writer thread?)", flush=True)
        else:
            os.kill(writer, signal.SIGKILL)
            print(f"  kill -9 of the writer child ({writer})", flush=True)
        time.sleep(STEP_SECONDS)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        print(f"  kill -9 of the serve process ({server.pid}: web, gateway, jobs); starting it again", flush=True)
        server = serve()
        time.sleep(STEP_SECONDS)
        outcome = _crash_postgres_then_drain(cluster, control, results, drain_timeout=700)
        time.sleep(40)  # a job that failed while the database was down is retried after 30 s
    finally:
        _stop_server(server)
        load.join(10)
        webhook.shutdown()

    connection.close()
    _report(outcome, device_ids, leavers, sos, job_log)


def _start_devices(plans: list[dict[str, Any]], gateway_port: int) -> tuple[Any, Any, Any]:
    """The load process, connecting its devices: (process, control queue, results queue)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    control, results = ctx.Queue(), ctx.Queue()
    load = ctx.Process(target=_devices_process, args=(plans, gateway_port, control, results), daemon=True)
    load.start()
    return load, control, results


def _devices_go(control: Any, results: Any, *, connect_timeout: float) -> None:
    """Once every device is connected and authenticated, they start sending."""
    results.get(timeout=connect_timeout)
    print(
        f"  {DEVICES} devices connected and authenticated; sending {DEVICES * FIXES_PER_SECOND:.0f} fixes/s", flush=True
    )
    control.put("go")


def _crash_postgres_then_drain(cluster: PgCluster, control: Any, results: Any, *, drain_timeout: float) -> Any:
    """The last fault of both drills: PostgreSQL's immediate restart; then the devices stop and send what is
    unacknowledged until all of it is. Returns the load process's outcome."""
    began = time.monotonic()
    cluster.crash_restart()
    print(f"  PostgreSQL crashed (immediate stop) and started again in {time.monotonic() - began:.1f} s", flush=True)
    time.sleep(STEP_SECONDS * 2)
    control.put("stop")
    print("  devices stop; sending what is unacknowledged until all of it is", flush=True)
    return results.get(timeout=drain_timeout)


def _report(
    outcome: dict[str, Any], device_ids: dict[str, int], leavers: set[int], sos: set[int], job_log: Path
) -> None:
    from zhengtu.monitoring.models import Alert, AlertEvent, Position

    stored: dict[tuple[int, dt.datetime], int] = {}
    for device_id, fix_time in Position.objects.values_list("device_id", "fix_time"):
        stored[(device_id, fix_time)] = stored.get((device_id, fix_time), 0) + 1
    stored_times: dict[int, set[dt.datetime]] = {}
    for device_id, fix_time in stored:
        stored_times.setdefault(device_id, set()).add(fix_time)
    first = outcome["start"]  # the fix of index i was taken at start + 30 s × i
    acked_total = lost = 0
    for identifier, indices in outcome["acked"].items():
        times = stored_times.get(device_ids[identifier], set())
        acked_total += len(indices)
        lost += sum(first + dt.timedelta(seconds=30 * index) not in times for index in indices)
    sent_total = sum(outcome["sent"].values())
    twice = sum(count - 1 for count in stored.values() if count > 1)
    fence = _per_person(Alert.objects.filter(kind="fence_breach").values_list("supervisee_id", flat=True))
    sos_alerts = _per_person(Alert.objects.filter(kind="sos").values_list("supervisee_id", flat=True))
    alert_ids = list(Alert.objects.filter(kind__in=["fence_breach", "sos"]).values_list("pk", flat=True))
    notified = _per_person(
        AlertEvent.objects.filter(alert_id__in=alert_ids, action="notified").values_list("alert_id", flat=True)
    )
    jobs = job_log.read_text().splitlines() if job_log.exists() else []
    print(
        f"  fixes: {sent_total:,} sent, {acked_total:,} acknowledged, {len(stored):,} stored; "
        f"{outcome['resent']:,} sent again over {outcome['reconnects']:,} reconnections",
        flush=True,
    )
    print(f"  acknowledged fixes lost: {lost}   (goal 0)")
    print(f"  fixes stored twice: {twice}   (goal 0)")
    print(
        f"  fence alerts: {sum(fence.values())} for {len(leavers)} people who left once — duplicated "
        f"{sum(n - 1 for n in fence.values() if n > 1)} (goal 0), missing {len(leavers - set(fence))}"
    )
    print(
        f"  SOS alerts: {sum(sos_alerts.values())} for {len(sos)} presses — duplicated "
        f"{sum(n - 1 for n in sos_alerts.values() if n > 1)} (goal 0), missing {len(sos - set(sos_alerts))}"
    )
    print(
        f"  alert deliveries (webhook, through the job queue): {len(_Webhook.received)} received for "
        f"{len(alert_ids)} alerts; recorded twice {sum(n - 1 for n in notified.values() if n > 1)}, "
        f"not recorded {len(set(alert_ids) - set(notified))}"
    )
    print(
        f"  jobs: {sum(line.startswith('retrying') for line in jobs)} retried, "
        f"{sum(line.startswith('error') for line in jobs)} failed attempts, "
        f"{sum(line.startswith('complete') for line in jobs)} completed; {_uptime()}",
        flush=True,
    )


def _per_person(values: Any) -> dict[int, int]:
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


# -- the scaled shape ----------------------------------------------------------------------------


class RedisServer:
    """A redis-server of this run's own, persisted as `make scaled` runs it (AOF, fsync every second)."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="zhengtu-drill-redis-"))
        self.port = _free_port(16379)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and arguments
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
            + ["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url).ping():
                    return
            except redis.exceptions.RedisError:
                pass
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def crash_restart(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()
        self.start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


class Processes:
    """The processes of deploy/Procfile, started and killed one by one."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.commands: dict[str, tuple[str, ...]] = {}

    def start(self, name: str, *arguments: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log
        )
        self.running[name] = process
        self.commands[name] = arguments
        return process

    def kill(self, name: str) -> int:
        process = self.running[name]
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return process.pid

    def restart(self, name: str) -> subprocess.Popen[bytes]:
        return self.start(name, *self.commands[name])

    def stop(self) -> None:
        for process in self.running.values():
            process.terminate()
        for process in self.running.values():
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(30)
        self.log.close()


def _wait_for_port(port: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def _wait_for_web(port: int, timeout: float = 300) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the web process did not answer")


def _pending_entries(url: str) -> int:
    """Stream entries read by a writer and never acknowledged (all shards)."""
    import redis

    from zhengtu.monitoring.streams import GROUP, shard_count, stream_name

    client = redis.Redis.from_url(url)
    total = 0
    for shard in range(shard_count()):
        try:
            total += int(client.xpending(stream_name(shard), GROUP)["pending"])
        except redis.ResponseError:  # no such stream or group: nothing pending there
            continue
    return total


def _holders(url: str) -> dict[int, str]:
    """Shard → the writer (`writer-N`) holding its lease now ("" for none)."""
    import redis

    from zhengtu.monitoring.streams import shard_count, stream_name

    client = redis.Redis.from_url(url)
    names = client.mget([f"{stream_name(s)}:writer" for s in range(shard_count())])
    return {s: (n or b"").decode().split(":")[0] for s, n in enumerate(names)}


def _writer_away(processes: Processes, url: str) -> None:
    """kill -9 of writer 1, NOT started again for a while: writer 0 takes its shards over once their
    leases lapse, and the fixes of writer 1's devices go on being stored; then writer 1 returns and
    is given its shards back. Prints the take-over time and what was stored meanwhile."""
    from zhengtu.monitoring.device_feed import shard_keys
    from zhengtu.monitoring.models import Device, Position
    from zhengtu.monitoring.rules import rule
    from zhengtu.monitoring.streams import shard_count, shard_of

    keys = shard_keys()
    shards = shard_count()
    theirs = [
        pk
        for pk, identifier in Device.objects.values_list("pk", "identifier")
        if shard_of(keys.get(pk, identifier), shards) % 2 == 1
    ]
    pid = processes.kill("writer1")
    killed = time.monotonic()
    print(f"  kill -9 of writer 1 ({pid}); NOT started again (lease {rule('REDIS_LEASE_SECONDS')} s)", flush=True)
    deadline = killed + 120
    while time.monotonic() < deadline and set(_holders(url).values()) != {"writer-0"}:
        time.sleep(0.5)
    taken = time.monotonic() - killed
    before = Position.objects.filter(device_id__in=theirs).count()
    time.sleep(STEP_SECONDS)
    stored = Position.objects.filter(device_id__in=theirs).count() - before
    print(
        f"    writer 0 holds all {shards} shards {taken:.1f} s after the kill; in the next {STEP_SECONDS} s it stored "
        f"{stored:,} fixes of writer 1's {len(theirs)} devices ({stored / STEP_SECONDS:,.0f}/s; they send "
        f"{len(theirs) * FIXES_PER_SECOND:,.0f}/s)",
        flush=True,
    )
    processes.restart("writer1")
    returned = time.monotonic()
    while time.monotonic() < returned + 120 and sorted(set(_holders(url).values())) != ["writer-0", "writer-1"]:
        time.sleep(0.5)
    print(
        f"    writer 1 started again: shards held {_holders(url)} after {time.monotonic() - returned:.1f} s",
        flush=True,
    )


def _child_scaled() -> None:
    redis_server = RedisServer()
    redis_server.start()
    os.environ["ZHENGTU_BENCH_REDIS_URL"] = redis_server.url
    plans, device_ids, leavers, sos, cluster, webhook, var_dir, job_log = _set_up_drill()

    from django.db import connection

    web_port, gateway_port = _free_port(), _free_port()
    ports = {"jt808": gateway_port, "gt06": _free_port(), "watch": _free_port(), "osmand": _free_port()}
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        {
            "ZHENGTU_BENCH_WEBHOOK_URL": f"http://127.0.0.1:{webhook.server_address[1]}/hook",
            "ZHENGTU_BENCH_JOB_LOG": str(job_log),
            "ZHENGTU_BENCH_SCALED_JOBS": "1",
            "ZHENGTU_INGEST_WRITERS": "2",
            "ZHENGTU_GATEWAY_PORTS": ",".join(f"{name}={value}" for name, value in ports.items()),
            "ZHENGTU_VAR_DIR": var_dir,
            "ZHENGTU_KEY_DIR": str(settings.KEY_DIR),
        }
    )
    log = Path(tempfile.gettempdir()) / f"zhengtu-drill-scaled-{os.getpid()}.log"
    print(f"  processes of deploy/Procfile (web, gateway, writer0, writer1, jobs); logs in {log}", flush=True)
    processes = Processes(env, log)
    processes.start("web", "serve", "--port", str(web_port))
    processes.start("gateway", "run_gateway")
    processes.start("writer0", "run_ingest", "--writer", "0")
    processes.start("writer1", "run_ingest", "--writer", "1")
    processes.start("jobs", "run_huey", "--workers", "2")
    began = time.monotonic()
    _wait_for_port(gateway_port)
    _wait_for_web(web_port)
    print(f"    gateway and web up in {time.monotonic() - began:.0f} s", flush=True)
    load, control, results = _start_devices(plans, gateway_port)
    try:
        _devices_go(control, results, connect_timeout=300)
        time.sleep(STEP_SECONDS)
        pid = processes.kill("gateway")
        processes.restart("gateway")
        print(f"  kill -9 of the gateway ({pid}); started again", flush=True)
        _wait_for_port(gateway_port)
        time.sleep(STEP_SECONDS)
        pid = processes.kill("writer0")
        processes.restart("writer0")
        print(f"  kill -9 of writer 0 ({pid}); started again", flush=True)
        time.sleep(STEP_SECONDS)
        _writer_away(processes, redis_server.url)
        pid = processes.kill("web")
        processes.restart("web")
        _wait_for_web(web_port)
        print(f"  kill -9 of the web process ({pid}); started again, /healthz answers", flush=True)
        time.sleep(STEP_SECONDS)
        began = time.monotonic()
        redis_server.crash_restart()
        print(
            f"  Redis crashed (kill -9, appendfsync everysec) and started again in {time.monotonic() - began:.1f} s",
            flush=True,
        )
        time.sleep(STEP_SECONDS)
        outcome = _crash_postgres_then_drain(cluster, control, results, drain_timeout=900)
        time.sleep(40)  # a job that failed while the database was down is retried after 30 s
        pending = _pending_entries(redis_server.url)
    finally:
        processes.stop()
        load.join(10)
        webhook.shutdown()
    connection.close()
    _report(outcome, device_ids, leavers, sos, job_log)
    print(f"  stream entries left pending (read, never acknowledged): {pending}   (goal 0)", flush=True)
    redis_server.stop()


if __name__ == "__main__":
    try:
        _child_scaled() if sys.argv[2:] == ["scaled"] else _child()
    finally:
        from bench.support import drop_database

        drop_database(sys.argv[1])
