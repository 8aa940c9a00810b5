"""`python -m bench tracks`: a 30-day track (259,200 fixes, one every 10 s) through the API.

Measures what the map page asks for (`?zoom=…&encoding=polyline`, and from zoom 15 on the
visible bounds of a phone's and a desktop's map centred on the track, plus the page's margin)
over real HTTP (uvicorn, a verified staff session) against the goal (< 1 s), beside the answer
without bounds, without a zoom and the full-resolution export: wall time, the server process's
CPU time (what does not depend on the machine's load), the rows the database returned, the
bytes, and the page's decoding time (Node).
Each run uses a database of its own (name with the process id), dropped at the end, so two runs
on one machine do not destroy each other's.
PostgreSQL: a throw-away cluster of this run's own (fsync on, default synchronous_commit), removed
afterwards; `ZHENGTU_BENCH_PG=shared` (or an explicit ZHENGTU_DB_HOST/ZHENGTU_DB_PORT) measures an existing
server instead (bench/support.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import secrets
import shutil
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlencode

from bench.support import drop_database, process_cpu_seconds, run_on

DAYS = 30
EVERY_SECONDS = 10
GOAL_SECONDS = 1.0


def run() -> None:
    os.environ.setdefault("ZHENGTU_BENCH_SECRET_KEY", secrets.token_urlsafe(48))  # the server's sessions verify
    print(f"  machine: {os.cpu_count()} cores, load average {_load()} before the run", flush=True)
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        run_on("bench.bench_tracks", backend, f"zt_bench_tracks_{os.getpid()}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _child(backend: str) -> None:
    from bench.support import fresh_database

    fresh_database(backend)
    try:
        _measure(backend)
    finally:
        drop_database(backend)


def _measure(backend: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench.support import database_env, free_port, http_get, staff_sessions, start_server
    from zhengtu.accounts.roles import Role
    from zhengtu.monitoring.models import Device
    from zhengtu.orgs.models import Organisation, OrganisationKind
    from zhengtu.supervisees.models import Status
    from zhengtu.testing.factories import UserFactory, make_supervisee

    call_command("migrate", verbosity=0)
    county = Organisation.objects.create(name="基准县社区矫正管理局", kind=OrganisationKind.COUNTY_BUREAU)
    user = UserFactory(organisation=county, role=Role.BUREAU_ADMIN)
    person = make_supervisee(county, status=Status.UNDER_SUPERVISION)
    device = Device.objects.create(identifier="012000000001", kind="wristband", protocol="jt808", organisation=county)
    end = timezone.now().replace(microsecond=0)
    start = end - dt.timedelta(days=DAYS)
    started = time.perf_counter()
    total = fill_month(device, person, start)
    print(f"  setup: {total:,} fixes over {DAYS} days in {time.perf_counter() - started:.0f} s", flush=True)

    username = str(user.username)
    session = staff_sessions([username])[username]
    port = free_port()
    server = start_server(database_env(backend, os.environ["ZHENGTU_BENCH_DB_NAME"]), port)
    url = f"/api/v1/monitoring/tracks/{person.pk}/"
    period = {"start": start.isoformat(), "end": end.isoformat(), "crs": "wgs84"}
    centre = _track_centre(person.pk)
    cases: list[tuple[str, dict[str, Any], bool]] = [
        ("map, zoom 10, encoded polyline", {"zoom": 10, "encoding": "polyline"}, True),
        ("map, zoom 12, encoded polyline", {"zoom": 12, "encoding": "polyline"}, True),
        *(
            (
                f"map, zoom 15, {name} {width}×{height} screen (+¼ margin)",
                {"zoom": 15, "encoding": "polyline", "bounds": page_bounds(centre, 15, width, height)},
                True,
            )
            for name, width, height in SCREENS
        ),
        ("map, zoom 15, whole track (no bounds)", {"zoom": 15, "encoding": "polyline"}, True),
        ("map, zoom 15, whole track, JSON rows", {"zoom": 15}, True),
        ("no zoom (the answer before the map asked with one)", {}, False),
        ("full-resolution export (audited)", {"resolution": "full"}, False),
    ]
    print(
        "  over HTTP (uvicorn, verified staff session), best–worst of 3; CPU = the server process's;"
        " rows = rows the database returned",
        flush=True,
    )
    try:
        for label, params, goal in cases:
            timings, cpu = [], []
            size = points = 0
            body = b""
            for _ in range(3):
                before = process_cpu_seconds(server.pid)
                status, elapsed_ms, body = http_get(port, f"{url}?{urlencode({**period, **params})}", session)
                cpu.append(process_cpu_seconds(server.pid) - before)
                timings.append(elapsed_ms / 1000)
                assert status == 200, body[:300]
                size = len(body)
            data = json.loads(body)
            points = data.get("count", len(data.get("points", [])))
            rows, in_process = total, ""
            if "zoom" in params:
                rows, in_process = _reduce_in_process(person.pk, start, end, params["zoom"], params.get("bounds"))
            decode = _decode_ms(body) if params.get("encoding") == "polyline" else ""
            best, worst = min(timings), max(timings)
            verdict = (
                f"goal < {GOAL_SECONDS:.0f} s: wall {'met' if worst < GOAL_SECONDS else 'NOT met'},"
                f" CPU {'met' if max(cpu) < GOAL_SECONDS else 'NOT met'}"
                if goal
                else "no goal"
            )
            print(
                f"  {label:56s} {best:6.2f}–{worst:5.2f} s  CPU {min(cpu):5.2f}–{max(cpu):5.2f} s  {rows:7,} rows"
                f"  {size / 1024:8.1f} KiB  {points:7,} points{decode}{in_process}   [{verdict}]  load {_load()}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait()


# The screens the page is measured on at zoom 15: an officer's phone and a desktop browser's map.
SCREENS = [("phone", 375, 667), ("desktop", 1280, 800)]
MARGIN = 0.25  # monitoring.js: the visible bounds padded by a quarter of the screen each side


def page_bounds(centre: tuple[float, float], zoom: int, width: int, height: int) -> str:
    """What monitoring.js sends: Leaflet's bounds of a width × height map at `zoom` centred on
    `centre`, padded by MARGIN (south,west,north,east; web-mercator pixels of 256 per tile)."""
    lat, lon = centre
    degrees_per_pixel_lon = 360 / (256 * 2**zoom)
    # Mercator: a pixel north-south is cos(latitude) as many degrees as one east-west.
    degrees_per_pixel_lat = degrees_per_pixel_lon * math.cos(math.radians(lat))
    half_lat = height * degrees_per_pixel_lat * (0.5 + MARGIN)
    half_lon = width * degrees_per_pixel_lon * (0.5 + MARGIN)
    return f"{lat - half_lat:.6f},{lon - half_lon:.6f},{lat + half_lat:.6f},{lon + half_lon:.6f}"


def _track_centre(supervisee_id: int) -> tuple[float, float]:
    """The centre of the track's extent: where the map is when it has fitted the whole month."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(latitude), max(latitude), min(longitude), max(longitude) FROM monitoring_position"
            " WHERE supervisee_id = %s",
            [supervisee_id],
        )
        south, north, west, east = cursor.fetchone()
    return (south + north) / 2, (west + east) / 2


def _reduce_in_process(
    supervisee_id: int, start: dt.datetime, end: dt.datetime, zoom: float, bounds: str | None
) -> tuple[int, str]:
    """The reduction once more in this process, as the API does it (services.view_track): rows
    returned, and the CPU it cost here and, on PostgreSQL, in the database server's backend (its
    /proc entry: the same machine)."""
    from django.db import connection

    from zhengtu.monitoring.rules import rule
    from zhengtu.monitoring.tracks import parse_bounds, reduced_track, track_in_order

    backend_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
    before_db = process_cpu_seconds(backend_pid) if backend_pid else 0.0
    before = time.process_time()
    box = parse_bounds(bounds or "", crs="wgs84")
    if box is not None or zoom >= float(rule("TRACK_IN_ORDER_FROM_ZOOM")):
        reduced = track_in_order(supervisee_id, start, end, zoom=zoom, bounds=box)
    else:
        reduced = reduced_track(supervisee_id, start, end, zoom=zoom)
    own = time.process_time() - before
    if backend_pid is None:
        return reduced.rows_read, f"  [reduce in-process: CPU {own:.2f} s]"
    return (
        reduced.rows_read,
        f"  [reduce in-process: CPU {own:.2f} s + PostgreSQL {process_cpu_seconds(backend_pid) - before_db:.2f} s]",
    )


# The page's decoder (monitoring.js decodeNumbers/decodeTrack), timed in Node when it is installed.
_DECODE_JS = r"""
const fs = require("fs"); const data = JSON.parse(fs.readFileSync(0, "utf8"));
function decodeNumbers(text) { var values = [], value = 0, factor = 1;
  for (var i = 0; i < text.length; i++) { var chunk = text.charCodeAt(i) - 63; value += (chunk & 0x1f) * factor; factor *= 32;
    if (chunk < 0x20) { values.push(value % 2 ? -(value + 1) / 2 : value / 2); value = 0; factor = 1; } } return values; }
const started = process.hrtime.bigint();
const d = decodeNumbers(data.polyline), t = decodeNumbers(data.times), s = decodeNumbers(data.speeds);
const latlngs = []; let lat = 0, lon = 0; for (let i = 0; i < data.count; i++) { lat += d[2*i]; lon += d[2*i+1]; latlngs.push([lat/1e6, lon/1e6]); }
console.log(Number(process.hrtime.bigint() - started) / 1e6);
"""


def _decode_ms(body: bytes) -> str:
    node = shutil.which("node")
    if not node:
        return ""
    result = subprocess.run([node, "-e", _DECODE_JS], input=body, capture_output=True, check=False)
    try:
        return f"  decode {float(result.stdout):5.1f} ms (Node)"
    except ValueError:
        return ""


def fill_month(device, person, start: dt.datetime) -> int:  # type: ignore[no-untyped-def]
    """DAYS days of fixes every EVERY_SECONDS from `start`: nights at home with a few metres of GPS
    jitter, days a random walk of about 7 km/h around town (pessimistic: every fix a new pixel)."""
    from django.db import connection, transaction

    from zhengtu.monitoring.bulk import append_rows
    from zhengtu.monitoring.models import Position
    from zhengtu.monitoring.processing import POSITION_COLUMNS

    rng = random.Random(30)  # noqa: S311
    home = (27.9083, 110.5939)
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "sqlite":
        from zhengtu.monitoring.bulk import sqlite_datetime as adapt  # type: ignore[assignment]
    total = DAYS * 86_400 // EVERY_SECONDS
    rows = []
    lat, lon = home
    for index in range(total):
        when = start + dt.timedelta(seconds=EVERY_SECONDS * index)
        hour = when.hour
        if 8 <= hour < 18:  # days out: a random walk around town
            lat += rng.uniform(-0.0002, 0.0002)
            lon += rng.uniform(-0.0002, 0.0002)
        else:  # nights at home, with a few metres of GPS jitter
            lat, lon = home[0] + rng.uniform(-0.00003, 0.00003), home[1] + rng.uniform(-0.00003, 0.00003)
        rows.append((device.pk, person.pk, adapt(when), adapt(when), lat, lon, 0.0, 3.0, 0.0, None, 8, None, ""))
    with transaction.atomic():
        for offset in range(0, total, 20_000):
            append_rows(Position._meta.db_table, POSITION_COLUMNS, rows[offset : offset + 20_000])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return total


if __name__ == "__main__":
    _child(sys.argv[1])
