"""What a user sees: device send → alert on a logged-in bureau user's live map, over real HTTP.

For each database, in a child process with the bench settings:

- `manage.py serve` in its own process, the embedded shape as `make run` starts it: uvicorn, the
  device gateway (writer in its child process) and the job consumer (whose minute job raises
  offline alerts), on free ports;
- a county (inclusion fence: the county polygon with thousands of vertices), offices each with an
  officer, so every alert notifies someone; ACTIVE devices reporting, SILENT devices bound but
  quiet (JT/T 808 authenticated first, GT06 logged in, watch and OsmAnd);
- two pages open on /monitoring/live/ with verified staff sessions (the county bureau's, which
  sees every position too, and one office officer's), each read by a process of its own;
- a load process sending RATE fixes/s for SECONDS; 5 % of the devices keep crossing the county
  border (a fence alert every 8 fixes), 1 % of the JT/T 808 devices press SOS once; at the start
  the SILENT devices' last report is pushed back past the offline limit, so that the next
  minute's job raises an offline storm of SILENT devices in the same minute (coalesced per office).

Latency is from the moment the load process starts writing the frame that confirms the alert
(monotonic clock, shared by the processes of one machine) to the moment the page's process reads
the alert event from its socket. Goal: p99 < 500 ms. The machine is shared: the load average is
printed beside the figures, which are therefore pessimistic.

Also printed, to tell where the time goes: for each fence and SOS alert, device send → gateway
receive (ingest behind: frames waiting in sockets and in the gateway), receive → commit (the
writer) and commit → page (the live path: relay, the page's queue, the event stream), from the
event's `received_at` and `latency_ms`; the CPU of the serve process and of the writer process
apart; the fixes stored every 10 s while the load ran, and when it stopped (the server's graceful
stop stores what was still queued); what each page read and when it last read events; and the
server's own line per live stream (events offered to it, written, coalesced, dropped).

Environment: ZHENGTU_BENCH_BACKENDS (sqlite,postgresql), ZHENGTU_BENCH_LIVE_RATE (5000),
ZHENGTU_BENCH_LIVE_SECONDS (90), ZHENGTU_BENCH_LIVE_ACTIVE (5000), ZHENGTU_BENCH_LIVE_SILENT (5000).
PostgreSQL: a throw-away cluster of this run's own (fsync on, default synchronous_commit), removed
afterwards; `ZHENGTU_BENCH_PG=shared` (or an explicit ZHENGTU_DB_HOST/ZHENGTU_DB_PORT) measures an existing
server instead (bench/support.py).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import math
import multiprocessing as mp
import os
import queue
import random
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench.support import (
    ROOT,
    bind_for_a_quarter,
    bulk_supervisees,
    child_pids,
    drop_database,
    free_ports,
    process_cpu_seconds,
    run_on,
)

GOAL_MS = 500
RATE = int(os.environ.get("ZHENGTU_BENCH_LIVE_RATE", "5000"))
SECONDS = int(os.environ.get("ZHENGTU_BENCH_LIVE_SECONDS", "90"))
ACTIVE = int(os.environ.get("ZHENGTU_BENCH_LIVE_ACTIVE", "5000"))
SILENT = int(os.environ.get("ZHENGTU_BENCH_LIVE_SILENT", "5000"))
OFFICES = 20
FENCE_VERTICES = 4000
CROSSING_EVERY = 20  # one device in 20 walks to and fro across the border
SOS_EVERY = 100
BOX = (27.70, 110.30, 28.10, 110.90)  # min lat, min lon, max lat, max lon
AUTH_CODE = "bench0808"
PROTOCOL_MIX = [("jt808", 0.4), ("gt06", 0.3), ("watch", 0.2), ("osmand", 0.1)]
ALERT_EVENT = re.compile(rb"event: alert\ndata: (\{.*\})")


def run() -> None:
    os.environ.setdefault("ZHENGTU_BENCH_SECRET_KEY", secrets.token_urlsafe(48))
    print(f"  machine: {os.cpu_count()} cores, {_uptime()} before the run", flush=True)
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        run_on("bench.bench_monitoring_live", backend, f"zt_bench_live_{os.getpid()}")


def _uptime() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


# -- data ---------------------------------------------------------------------------------------


def county_ring(vertices: int, rng: random.Random) -> list[list[float]]:
    """The bench county: its box with a ragged border (±0.0002°, inside the ±0.001° the crossing
    devices walk), `vertices` points in all, as a real county boundary has."""
    min_lat, min_lon, max_lat, max_lon = BOX
    per_side = vertices // 4
    ring = []
    for side in range(4):
        for step in range(per_side):
            t = step / per_side
            wobble = rng.uniform(-0.0002, 0.0002)
            if side == 0:
                ring.append([min_lon + t * (max_lon - min_lon), min_lat + wobble])
            elif side == 1:
                ring.append([max_lon + wobble, min_lat + t * (max_lat - min_lat)])
            elif side == 2:
                ring.append([max_lon - t * (max_lon - min_lon), max_lat + wobble])
            else:
                ring.append([min_lon + wobble, max_lat - t * (max_lat - min_lat)])
    ring.append(ring[0])
    return ring


def _build(rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, str], list[int]]:
    """Offices with officers, supervisees, devices (with a fresh state), bindings, the county fence.
    Returns the load plans, username → session key, and the silent devices' ids."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.monitoring.models import Device, DeviceState, Fence, FenceKind, FenceShape
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.orgs.services import create_organisation

    county = create_organisation(name="基准县社区矫正管理局", kind=OrganisationKind.COUNTY_BUREAU)
    offices = [
        create_organisation(name=f"基准第{i + 1}司法所", kind=OrganisationKind.JUSTICE_OFFICE, parent=county)
        for i in range(OFFICES)
    ]
    bureau = User.objects.create(username="bench_live_bureau", role=Role.BUREAU_ADMIN, organisation=county)
    officers = [
        User.objects.create(username=f"bench_live_officer{i}", role=Role.OFFICE_OFFICER, organisation=office)
        for i, office in enumerate(offices)
    ]
    total = ACTIVE + SILENT
    people = bulk_supervisees(total, offices=offices[:OFFICES], officers=officers[:OFFICES], tag="bench-live")
    protocols = [p for p, share in PROTOCOL_MIX for _ in range(int(share * 100))]
    rows = []
    for i in range(total):
        protocol = protocols[i % len(protocols)]
        identifier = f"{13_900_000_000 + i}" if protocol in ("jt808", "watch") else f"{868_130_000_000_000 + i}"
        if protocol == "jt808":
            identifier = identifier.zfill(12)
        rows.append(
            Device(
                identifier=identifier,
                kind="phone" if protocol == "osmand" else "wristband",
                protocol=protocol,
                organisation=county,
                auth_code=AUTH_CODE if protocol == "jt808" else "",
            )
        )
    devices = Device.objects.bulk_create(rows, batch_size=1000)
    now = timezone.now()
    bind_for_a_quarter(devices, people)
    # Everyone reported a moment ago: no offline alert before the storm the bench sets off.
    DeviceState.objects.bulk_create([DeviceState(device=d, last_seen_at=now) for d in devices], batch_size=1000)
    Fence.objects.create(
        name="基准县", kind=FenceKind.INCLUSION, shape=FenceShape.POLYGON, organisation=county,
        geometry={"type": "Polygon", "coordinates": [county_ring(FENCE_VERTICES, rng)]},
    )  # fmt: skip
    min_lat, min_lon, max_lat, max_lon = BOX
    plans = []
    crossing_index = 0
    frames_each = SECONDS + 10
    for i in range(ACTIVE):
        device, person = devices[i], people[i]
        points: list[tuple[float, float]] = []
        marks: list[Any] = []
        if i % CROSSING_EVERY == 0:
            # To and fro across the northern border, 4 fixes in, 4 out; each outside fix has a
            # longitude of its own (the alert carries it), in a band of this device's.
            base = min_lon + 0.05 + crossing_index * 0.002
            crossing_index += 1
            for step in range(frames_each):
                if step % 8 < 4:
                    points.append((max_lat - 0.001, base))
                    marks.append(None)
                else:
                    lon = base + step * 2e-5
                    points.append((max_lat + 0.001, lon))
                    marks.append(("fence_breach", round(lon, 5)))
        else:
            home = (rng.uniform(min_lat + 0.05, max_lat - 0.05), rng.uniform(min_lon + 0.05, max_lon - 0.05))
            points = [
                (home[0] + rng.uniform(-0.0005, 0.0005), home[1] + rng.uniform(-0.0005, 0.0005))
                for _ in range(frames_each)
            ]
            marks = [None] * frames_each
            if device.protocol == "jt808" and i % SOS_EVERY == 1:
                marks[10 + (i // SOS_EVERY) % max(1, SECONDS - 20)] = ("sos", person.pk)
        plans.append({"protocol": device.protocol, "identifier": device.identifier, "points": points, "marks": marks})
    sessions = {}
    for user in [bureau, officers[0]]:
        otp = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["otp_device_id"] = otp.persistent_id
        store.create()
        sessions[user.username] = store.session_key or ""
    return plans, sessions, [d.pk for d in devices[ACTIVE:]]


# -- the load process (no Django) ----------------------------------------------------------------


def _frames(plan: dict[str, Any], start: dt.datetime) -> list[bytes]:
    from zhengtu.monitoring.protocols import simulate

    frames = []
    protocol, identifier = plan["protocol"], plan["identifier"]
    for index, ((lat, lon), mark) in enumerate(zip(plan["points"], plan["marks"], strict=True)):
        when = start + dt.timedelta(seconds=30 * index)
        if protocol == "jt808":
            alarm = 1 if mark and mark[0] == "sos" else 0
            frames.append(simulate.jt808_location(identifier, when, lat, lon, serial=index + 10, alarm_bits=alarm))
        elif protocol == "gt06":
            frames.append(simulate.gt06_location(when, lat, lon, serial=index + 10))
        elif protocol == "watch":
            frames.append(simulate.watch_position(identifier, when, lat, lon))
        else:
            target = simulate.osmand_query(identifier, when, lat, lon)
            frames.append(f"GET {target} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    return frames


def _load_process(plans: list[dict[str, Any]], ports: dict[str, int], control: Any, results: Any) -> None:
    """Pre-built frames over plain non-blocking sockets, round-robin at the asked rate; the moment
    each marked frame (one that confirms an alert) starts to be written is kept."""
    import select

    from bench.bench_monitoring import _LoadConnection, _push
    from zhengtu.monitoring.protocols import simulate

    resource.setrlimit(resource.RLIMIT_NOFILE, (19_000, 19_000))
    start = dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=2)
    poller = select.epoll()
    by_fd: dict[int, socket.socket] = {}
    connections: list[_LoadConnection] = []
    marks: dict[int, list[Any]] = {}

    def drain(timeout: float = 0) -> None:
        for fd, _event in poller.poll(timeout):
            try:
                chunk = by_fd[fd].recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                chunk = b""
            if not chunk:
                poller.unregister(fd)

    opened = time.monotonic()
    for plan in plans:
        sock = socket.create_connection(("127.0.0.1", ports[plan["protocol"]]))
        sock.setblocking(False)
        by_fd[sock.fileno()] = sock
        poller.register(sock.fileno(), select.EPOLLIN)
        connection = _LoadConnection(sock, _frames(plan, start))
        # Each device says who it is at once, as real ones do: the gateway closes a connection
        # that has not shown a registered device within HANDSHAKE_SECONDS.
        if plan["protocol"] == "gt06":
            sock.send(simulate.gt06_login(plan["identifier"], serial=1))
        elif plan["protocol"] == "jt808":
            sock.send(simulate.jt808_auth(plan["identifier"], AUTH_CODE, serial=1))
        elif plan["protocol"] == "watch":
            sock.send(simulate.watch_link(plan["identifier"]))
        else:  # OsmAnd: its first fix
            sock.send(connection.frames[0])
            connection.cursor = 1
        marks[id(connection)] = plan["marks"]
        connections.append(connection)
        if len(connections) % 200 == 0:
            drain()
    opening = time.monotonic() - opened
    settle = time.monotonic() + 3
    while time.monotonic() < settle:
        drain(0.05)
    results.put(("opened", len(connections), opening))
    random.Random(1).shuffle(connections)
    sent_at: dict[Any, float] = {}
    command = control.get()
    rate, seconds = command
    sent = 0
    began = time.monotonic()
    ends = began + seconds
    stalled: list[_LoadConnection] = []
    cursor = 0
    while True:
        now = time.monotonic()
        if now >= ends:
            break
        due = int((now - began) * rate) - sent
        for _ in range(max(0, due)):
            connection = connections[cursor]
            cursor = (cursor + 1) % len(connections)
            if connection.leftover or connection.cursor >= len(connection.frames):
                continue
            mark = marks[id(connection)][connection.cursor]
            if mark is not None:
                sent_at[mark] = time.monotonic()
            connection.leftover = connection.frames[connection.cursor]
            connection.cursor += 1
            sent += 1
            if not _push(connection):
                stalled.append(connection)
        if stalled:
            stalled = [c for c in stalled if not _push(c)]
        drain()
        time.sleep(0.002)
    while stalled:
        stalled = [c for c in stalled if not _push(c)]
        drain(0.01)
    finish = time.monotonic() + 5  # the last replies
    while time.monotonic() < finish:
        drain(0.05)
    results.put(("sent", sent, began, sent_at))
    control.get()
    for connection in connections:
        connection.sock.close()


# -- a page's process ----------------------------------------------------------------------------


def _page_process(port: int, session: str, label: str, ready: Any, stop: Any, results: Any) -> None:
    """One browser tab on /monitoring/live/: reads the event stream as fast as it comes and keeps,
    for every alert event, when it arrived."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        (
            "GET /monitoring/live/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            f"Accept-Language: zh-hans\r\nCookie: sessionid={session}\r\n\r\n"
        ).encode()
    )
    sock.settimeout(0.2)
    raw = [b""]  # as read and not yet taken: the response head, then the body in HTTP/1.1 chunks
    buffer = b""  # the event stream itself
    head_read = connected = False
    alerts: list[tuple[float, float, dict[str, Any]]] = []  # (monotonic, wall clock) of arrival, event
    received_bytes = positions = 0
    arrivals: list[float] = []  # when each read with events in it arrived
    while not stop.is_set():
        try:
            chunk = sock.recv(1 << 20)
        except TimeoutError:
            continue
        if not chunk:
            break
        arrived, arrived_wall = time.monotonic(), time.time()
        received_bytes += len(chunk)
        raw[0] += chunk
        if not head_read:
            if b"\r\n\r\n" not in raw[0]:
                continue
            head, raw[0] = raw[0].split(b"\r\n\r\n", 1)
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                results.put((label, {"error": head[:200].decode(errors="replace")}))
                ready.put(False)
                return
            head_read = True
        buffer += _dechunk(raw)
        if not connected and b": connected" in buffer:
            connected = True
            ready.put(True)
        *pieces, buffer = buffer.split(b"\n\n")
        for piece in pieces:
            match = ALERT_EVENT.search(piece)
            if match:
                alerts.append((arrived, arrived_wall, json.loads(match.group(1))))
            elif b"event: position" in piece:
                positions += 1
        if pieces and connected:
            arrivals.append(arrived)
    sock.close()
    results.put((label, {"alerts": alerts, "bytes": received_bytes, "positions": positions, "arrivals": arrivals}))


def _dechunk(holder: list[bytes]) -> bytes:
    """The body bytes of the complete HTTP/1.1 chunks in holder[0]; what is left stays there.
    (A chunk boundary can fall inside an event: a page writes many events at once.)"""
    raw, body = holder[0], []
    while True:
        line_end = raw.find(b"\r\n")
        if line_end < 0:
            break
        size = int(raw[:line_end].split(b";", 1)[0] or b"0", 16)
        end = line_end + 2 + size
        if len(raw) < end + 2:
            break
        body.append(raw[line_end + 2 : end])
        raw = raw[end + 2 :]
    holder[0] = raw
    return b"".join(body)


# -- the run -------------------------------------------------------------------------------------


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(math.ceil(share * len(ordered))) - 1)]


def _figures(samples: list[float]) -> str:
    if not samples:
        return "none received"
    return (
        f"p50 {statistics.median(samples):5.0f} ms  p99 {_percentile(samples, 0.99):5.0f} ms  "
        f"max {max(samples):5.0f} ms  (n={len(samples)})"
    )


def _server(
    port: int, gateway_ports: dict[str, int], var_dir: str, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`manage.py serve` with the bench settings and the gateway on `gateway_ports`, once it answers."""
    from django.conf import settings

    env = dict(os.environ)
    env["ZHENGTU_GATEWAY_PORTS"] = ",".join(f"{name}={value}" for name, value in gateway_ports.items())
    env["ZHENGTU_VAR_DIR"] = var_dir
    env["ZHENGTU_KEY_DIR"] = str(settings.KEY_DIR)  # the keys this process wrote its data with
    env["ZHENGTU_BENCH_HUEY_FILE"] = os.path.join(var_dir, "jobs.sqlite3")
    env.update(extra_env or {})
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 300  # a loaded machine: Django, the writer process, migrations checked
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        raise RuntimeError("the bench server did not start")
    deadline = time.monotonic() + 60  # the web server answers: the gateway binds its ports at the same time
    for name, gateway_port in gateway_ports.items():  # the gateway starts beside the web server
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", gateway_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            process.terminate()
            process.wait(60)
            raise RuntimeError(f"the gateway's {name} port did not open")
    return process


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then (thousands of connections and open event streams can hold a graceful stop
    up for long on a loaded machine) SIGKILL after a minute."""
    server.terminate()
    try:
        server.wait(60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(30)


def _cpu_seconds(pid: int) -> dict[str, float]:
    """CPU of the serve process (web, gateway, jobs: one interpreter), of its children (the ingest
    writer process; multiprocessing's resource tracker, which is idle) and of PostgreSQL (all of the
    server's processes: on two cores its CPU is taken from the writer's and the gateway's)."""
    from bench.support import database_server_cpu_seconds

    cpu = {"serve": process_cpu_seconds(pid), "writer": sum(map(process_cpu_seconds, child_pids(pid)))}
    database = database_server_cpu_seconds()
    if database is not None:
        cpu["postgresql"] = database
    return cpu


def _child(backend: str) -> None:
    from bench.support import fresh_database

    resource.setrlimit(resource.RLIMIT_NOFILE, (19_000, 19_000))
    fresh_database(backend)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from zhengtu.monitoring.models import Alert, AlertKind, DeviceState, Position

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    plans, sessions, silent = _build(random.Random(808))  # noqa: S311
    print(
        f"  setup: {ACTIVE:,} reporting + {SILENT:,} silent devices, {OFFICES} offices with officers, "
        f"a county fence of {FENCE_VERTICES:,} vertices, in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    connections.close_all()
    var_dir = tempfile.mkdtemp(prefix="zhengtu-bench-live-")
    began_server = time.monotonic()
    for attempt in range(3):
        # Free when probed, but a port of the ephemeral range can be taken by an outgoing
        # connection before the server binds it (seen once in a run): then again, other ports.
        web_port, *ports = free_ports(1 + len(PROTOCOL_MIX))
        gateway_ports = {name: port for (name, _share), port in zip(PROTOCOL_MIX, ports, strict=True)}
        try:
            server = _server(web_port, gateway_ports, var_dir)
            break
        except RuntimeError as error:
            if attempt == 2:
                raise
            print(f"  {error}; starting again on other ports", flush=True)
    print(f"  manage.py serve up (web, gateway, jobs) in {time.monotonic() - began_server:.0f} s", flush=True)
    ctx = mp.get_context("fork")
    stop, page_results, ready = ctx.Event(), ctx.Queue(), ctx.Queue()
    labels = {"bench_live_bureau": "county bureau page", "bench_live_officer0": "office officer page"}
    pages = [
        ctx.Process(
            target=_page_process, args=(web_port, sessions[name], label, ready, stop, page_results), daemon=True
        )
        for name, label in labels.items()
    ]
    control, load_results = ctx.Queue(), ctx.Queue()
    load = ctx.Process(target=_load_process, args=(plans, gateway_ports, control, load_results), daemon=True)
    try:
        for page in pages:
            page.start()
        if not all(ready.get(timeout=60) for _ in pages):
            print("  a live page did not open: " + str(page_results.get(timeout=5)), flush=True)
            return
        load.start()
        _kind, opened, opening = load_results.get(timeout=600)
        print(
            f"  {opened:,} device connections opened in {opening:.0f} s; 2 live pages open (county bureau, office officer)",
            flush=True,
        )
        # The storm: every silent device's last report pushed back past its offline limit; the job
        # consumer's next minute run raises all of them in the same minute.
        DeviceState.objects.filter(device_id__in=silent).update(last_seen_at=timezone.now() - dt.timedelta(minutes=31))
        connections.close_all()
        cpu0, load_before = _cpu_seconds(server.pid), _uptime()
        stored_before = Position.objects.count()
        control.put((RATE, SECONDS))
        # Stored so far, every 10 s of the load: a stall shows as a flat stretch.
        progress: list[tuple[float, int]] = []
        started_waiting = time.monotonic()
        while True:
            try:
                _kind, sent, began, sent_at = load_results.get(timeout=10)
                break
            except queue.Empty:
                if time.monotonic() - started_waiting > SECONDS + 120:
                    raise
                progress.append((time.monotonic() - started_waiting, Position.objects.count() - stored_before))
                connections.close_all()
        stored_in_window = Position.objects.count() - stored_before
        cpu_end = _cpu_seconds(server.pid)
        cpu = {name: cpu_end[name] - cpu0.get(name, 0.0) for name in cpu_end}
        load_during = _uptime()
        time.sleep(2)
        stop.set()
        received = dict(page_results.get(timeout=30) for _ in pages)
        control.put(None)
    finally:
        stop.set()
        _stop_server(server)
        for process in [*pages, load]:
            if process.is_alive():
                process.join(10)
    stored = Position.objects.count() - stored_before  # rows from the set-up are not this run's
    offline_alerts = Alert.objects.filter(kind=AlertKind.OFFLINE).count()
    print(
        f"  offered {RATE:,} fixes/s for {SECONDS} s: {sent:,} sent, {stored:,} stored "
        f"({stored / max(sent, 1) * 100:.1f} %) in the end, {stored_in_window:,} of them when the load stopped "
        f"({stored_in_window / max(SECONDS, 1):,.0f}/s; the rest was stored while the server stopped); "
        f"{load_before} at the start, {load_during} at the end",
        flush=True,
    )
    print("  stored while the load ran: " + ", ".join(f"{at:.0f} s {count:,}" for at, count in progress), flush=True)
    database_cpu = f", PostgreSQL (all its processes) {cpu['postgresql']:.1f} s" if "postgresql" in cpu else ""
    print(
        f"  CPU over the {SECONDS} s: serve process (web + gateway + jobs) {cpu['serve']:.1f} s, "
        f"writer process {cpu['writer']:.1f} s{database_cpu} (a core each at most: {SECONDS} s)",
        flush=True,
    )
    # Per fix stored while the load ran: what does not depend on the machine's other work.
    per_fix = {name: seconds / max(stored_in_window, 1) * 1e6 for name, seconds in cpu.items()}
    print(
        "  CPU per fix stored while the load ran: "
        + ", ".join(f"{name} {micros:.0f} µs" for name, micros in per_fix.items())
        + f"; together {sum(per_fix.values()):.0f} µs (two cores give 2,000,000 µs a second: {RATE:,} fixes/s "
        f"need {RATE * sum(per_fix.values()) / 1e6:.2f} cores)",
        flush=True,
    )
    for label in labels.values():
        page = received[label]
        if "error" in page:
            print(f"  {label}: {page['error']}")
            continue
        by_kind: dict[str, list[float]] = {}
        timed: list[tuple[float, float]] = []  # (arrival, latency) of fence and SOS alerts
        # Where the time went, for fence and SOS alerts: device send → gateway receive (frames
        # waiting in sockets and the gateway: ingest behind), receive → commit (the writer),
        # commit → page (the live path: relay, queue, event stream).
        to_gateway: list[float] = []
        to_commit: list[float] = []
        to_page: list[float] = []
        offline_events = offline_count = 0
        offline_first = offline_last = None
        for arrived, arrived_wall, event in page["alerts"]:
            kind = event.get("kind")
            if kind == "offline":
                offline_events += 1
                offline_count += int(event.get("count", 1))
                offline_first = offline_first if offline_first is not None else arrived - began
                offline_last = arrived - began
                continue
            if kind == "fence_breach" and event.get("point"):
                key: Any = (kind, round(event["point"][1], 5))
            else:
                key = (kind, event.get("supervisee_id"))
            if key in sent_at:
                total = (arrived - sent_at[key]) * 1000
                by_kind.setdefault(str(kind), []).append(total)
                timed.append((arrived - began, total))
                if event.get("received_at") is not None:
                    receive_to_page = (arrived_wall - float(event["received_at"])) * 1000
                    to_gateway.append(max(0.0, total - receive_to_page))
                    if event.get("latency_ms") is not None:
                        to_commit.append(float(event["latency_ms"]))
                        to_page.append(max(0.0, receive_to_page - float(event["latency_ms"])))
        urgent = [value for values in by_kind.values() for value in values]
        verdict = "" if not urgent else ("  MET" if _percentile(urgent, 0.99) < GOAL_MS else "  NOT MET")
        arrivals = page["arrivals"]
        last = f"{arrivals[-1] - began:.1f} s" if arrivals else "never"
        print(
            f"  {label}: {page['positions']:,} positions, {page['bytes'] / 1e6:.1f} MB received in "
            f"{len(arrivals):,} reads; last events read {last} into the run (the load ran {SECONDS} s)",
            flush=True,
        )
        print(
            f"    device send → alert on the page, fence and SOS: {_figures(urgent)}   goal p99 < {GOAL_MS} ms{verdict}"
        )
        for kind, values in sorted(by_kind.items()):
            print(f"      {kind:<14} {_figures(values)}")
        if to_page:
            print(f"      send → gateway receive (ingest behind) {_figures(to_gateway)}")
            print(f"      receive → commit (writer)              {_figures(to_commit)}")
            print(f"      commit → page (live path)              {_figures(to_page)}")
        if offline_events:
            print(
                f"    offline storm: {offline_count:,} alerts in {offline_events} events (coalesced per office), "
                f"arrived {offline_first:.1f}–{offline_last:.1f} s into the run; {offline_alerts:,} offline alerts stored",
                flush=True,
            )
            assert offline_first is not None and offline_last is not None
            during = [ms for at, ms in timed if offline_first - 1 <= at <= offline_last + 1]
            print(f"    fence and SOS alerts arriving while the storm's events did: {_figures(during)}", flush=True)
        else:
            print(f"    offline storm: no offline event reached the page ({offline_alerts:,} offline alerts stored)")


if __name__ == "__main__":
    try:
        _child(sys.argv[1])
    finally:
        drop_database(sys.argv[1])
