"""`python -m bench tracks`: a 30-day track (259,200 fixes, one every 10 s) through the API.

Measures what the map asks for (`?zoom=…&encoding=polyline`) against the goal (< 1 s), beside
the answer without a zoom (as before) and the full-resolution export, with the bytes of each.
Each run uses a database of its own (name with the process id), dropped at the end, so two runs
on one machine do not destroy each other's.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time

from bench.support import drop_database, run_child

DAYS = 30
EVERY_SECONDS = 10
GOAL_SECONDS = 1.0


def run() -> None:
    print(f"  machine: {os.cpu_count()} cores, load average {_load()} before the run", flush=True)
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        print(f"\n[{backend}]", flush=True)
        run_child("bench.bench_tracks", backend, f"zt_bench_tracks_{os.getpid()}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _child(backend: str) -> None:
    from bench.support import fresh_database

    fresh_database(backend)
    try:
        _measure()
    finally:
        drop_database(backend)


def _measure() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

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

    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.create(user=user, confirmed=True).persistent_id
    session.save()
    url = f"/api/v1/monitoring/tracks/{person.pk}/"
    period = {"start": start.isoformat(), "end": end.isoformat(), "crs": "wgs84"}
    cases = [
        ("map, zoom 12, encoded polyline", {"zoom": 12, "encoding": "polyline"}, True),
        ("map, zoom 15, encoded polyline", {"zoom": 15, "encoding": "polyline"}, True),
        ("map, zoom 15, JSON rows", {"zoom": 15}, True),
        ("no zoom (the answer before this change)", {}, False),
        ("full-resolution export (audited)", {"resolution": "full"}, False),
    ]
    for label, params, goal in cases:
        timings = []
        size = 0
        points = 0
        for _ in range(3):
            began = time.perf_counter()
            response = client.get(url, {**period, **params})
            body = response.content
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200, body[:300]
            size = len(body)
            data = response.json()
            points = data.get("count", len(data.get("points", [])))
        best, worst = min(timings), max(timings)
        verdict = f"goal < {GOAL_SECONDS:.0f} s: {'met' if worst < GOAL_SECONDS else 'NOT met'}" if goal else "no goal"
        print(
            f"  {label:44s} {best:6.2f}–{worst:5.2f} s  {size / 1024:8.1f} KiB  {points:7,} points   "
            f"[{verdict}]  load {_load()}",
            flush=True,
        )


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
        from zhengtu.monitoring.bulk import sqlite_datetime as adapt
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
