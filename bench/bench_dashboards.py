"""Home dashboards, the wall and the statistics tables at province scale (≈50,000 supervisees), over real HTTP.

For SQLite and PostgreSQL: the province demo is seeded once (a province bureau above 14 cities), a
uvicorn server (the ASGI app, as `manage.py serve` runs it) is started on ZHENGTU_BENCH_PORT, and each
dashboard is requested over HTTP with a verified staff session (the port is a free one unless
ZHENGTU_BENCH_PORT names it). Three configurations (ZHENGTU_BENCH_CONFIGURATIONS=0,1,2 picks):

0. computed per user: every request counts every figure from the records in the user's scope;
1. shared per-office counts: each figure counted per office over all records once (kept 60 s) and
   summed for the user's subtree; dashboards still assembled on every request;
2. the default: 1 plus each dashboard kept 60 s per scope (what users get).

Goal: p95 < 300 ms. The machine is shared: the load average is printed beside each figure.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time

from bench.seeded import seeded_copy
from bench.support import (
    backend_header,
    database_env,
    free_port,
    http_get,
    machine_load,
    percentiles,
    prepare_database,
    run_child,
    staff_sessions,
    start_server,
)

GOAL_MS = 300
REQUESTS = int(os.environ.get("ZHENGTU_BENCH_REQUESTS", "40"))
DB_NAME = "zt_bench_cmd"  # SQLite: a file kept between runs (seeded by the first); PostgreSQL: bench/seeded.py


PORT = int(os.environ.get("ZHENGTU_BENCH_PORT", "0")) or free_port()


def run() -> None:
    # One secret key for this process and the server it starts: the sessions made here must be valid there.
    os.environ.setdefault("ZHENGTU_BENCH_SECRET_KEY", secrets.token_urlsafe(48))
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        if backend == "postgresql":  # a copy of this run's own of a seeded template, fsync on (bench/seeded.py)
            with seeded_copy("province") as name:
                run_child("bench.bench_dashboards", backend, name)
            continue
        print(backend_header(backend), flush=True)
        run_child("bench.bench_dashboards", backend, DB_NAME)


def _prepare(backend: str) -> dict[str, str]:
    """Seed (once), create the bench users and their sessions; returns username → session key."""
    prepare_database(backend)
    import django

    django.setup()
    from django.core.management import call_command

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.demo.organisations import PROVINCE_ROOT
    from zhengtu.demo.seed import seed
    from zhengtu.orgs.models import Organisation
    from zhengtu.supervisees.models import Supervisee

    call_command("migrate", verbosity=0)
    if Supervisee.objects.count() < 40_000:
        started = time.monotonic()
        seed("province")
        print(f"seeded province scale in {time.monotonic() - started:.0f} s", flush=True)
    print(f"{Supervisee.objects.count()} supervisees, {Organisation.objects.count()} organisations", flush=True)
    province = Organisation.objects.get(name=PROVINCE_ROOT)
    city = User.objects.get(username="bureau_xupu").organisation.parent
    extra = {
        "bench_province_admin": (Role.BUREAU_ADMIN, province),
        "bench_province_command": (Role.COMMAND_CENTER, Organisation.objects.get(name="湖南省社区矫正指挥中心")),
        "bench_city_admin": (Role.BUREAU_ADMIN, city),
    }
    for username, (role, organisation) in extra.items():
        User.objects.get_or_create(username=username, defaults={"role": role, "organisation": organisation})
    return staff_sessions(
        [*extra, "officer_lufeng", "bureau_xupu", "command_xupu", "manager_xupu", "association_admin"]
    )


def _server(backend: str, cache_seconds: int, shared_seconds: int) -> subprocess.Popen[bytes]:
    env = database_env(backend, os.environ["ZHENGTU_BENCH_DB_NAME"])
    env["ZHENGTU_BENCH_DASHBOARD_CACHE_SECONDS"] = str(cache_seconds)
    env["ZHENGTU_BENCH_SHARED_SECONDS"] = str(shared_seconds)
    return start_server(env, PORT)


def _get(path: str, session: str) -> tuple[int, float]:
    status, elapsed, _body = http_get(PORT, path, session)
    return status, elapsed


SCENARIOS = [
    ("officer home (justice office)", "/", "officer_lufeng"),
    ("bureau home (county)", "/", "bureau_xupu"),
    ("bureau home (city)", "/", "bench_city_admin"),
    ("bureau home (province)", "/", "bench_province_admin"),
    ("command centre home (county)", "/", "command_xupu"),
    ("agency manager home", "/", "manager_xupu"),
    ("association home", "/", "association_admin"),
    ("wall figures (county)", "/command/wall/figures/", "command_xupu"),
    ("wall figures (province)", "/command/wall/figures/", "bench_province_command"),
    ("dashboard API (province)", "/api/v1/dashboard/", "bench_province_admin"),
]
STATISTICS = [
    ("statistics tables, month (county)", "/command/statistics/?period=", "bureau_xupu"),
    (
        "statistics tables, month by city (province)",
        "/command/statistics/?grouping=city&period=",
        "bench_province_admin",
    ),
]


def _child(backend: str) -> None:
    sessions = _prepare(backend)
    configurations = (
        ("computed per user (no caches)", 0, 0),
        ("shared per-office counts (<= 60 s old), dashboards computed per user", 0, 60),
        ("default: shared counts + dashboards kept 60 s per scope", 60, 60),
    )
    wanted = os.environ.get("ZHENGTU_BENCH_CONFIGURATIONS", "0,1,2")
    for index, (label, cache_seconds, shared_seconds) in enumerate(configurations):
        if str(index) not in wanted.split(","):
            continue
        print(f"-- dashboards, {label}; goal p95 < {GOAL_MS} ms", flush=True)
        server = _server(backend, cache_seconds, shared_seconds)
        try:
            for name, path, username in SCENARIOS:
                samples = []
                for _ in range(REQUESTS):
                    status, elapsed = _get(path, sessions[username])
                    if status != 200:
                        print(f"   {name}: HTTP {status}")
                        break
                    samples.append(elapsed)
                if samples:
                    print(f"   {name:<40} {percentiles(samples)}   {machine_load()}", flush=True)
            if index == 1:
                for name, path, username in STATISTICS:
                    answers = [_get(path, sessions[username]) for _ in range(max(3, REQUESTS // 8))]
                    if any(status != 200 for status, _elapsed in answers):
                        print(f"   {name}: HTTP {answers[0][0]}")
                        continue
                    samples = [elapsed for _status, elapsed in answers]
                    print(
                        f"   {name:<40} {percentiles(samples)}   {machine_load()}   (not a dashboard: no goal)",
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    _child(sys.argv[1])
