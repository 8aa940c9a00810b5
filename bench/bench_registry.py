"""Supervisee list page and API at province scale (≈50,000 supervisees, ≈1,500 offices), over real HTTP.

For SQLite and PostgreSQL: the province demo is seeded once; a uvicorn server (the ASGI app, as `manage.py
serve` runs it) is started on a free port, and the filtered list page and GET /api/v1/supervisees/ are
requested over HTTP with verified staff sessions of users at every level of the tree: a justice office, a
county bureau, a city bureau, the province bureau and a system administrator. Each line says how many
supervisees the user sees, so a figure is read against a realistic scope.

Goal: p95 < 300 ms for every scope. The machine is shared: the load average is printed beside each figure.
What flatters the figures: one user at a time (no concurrent requests), and a warm database cache after the
first three requests of each scenario.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from urllib.parse import urlencode

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
REQUESTS_PER_SCENARIO = int(os.environ.get("ZHENGTU_BENCH_REQUESTS", "40"))
DB_NAME = "zt_bench_registry"


def run() -> None:
    # One secret key for this process and the server it starts: the sessions made here must be valid there.
    os.environ.setdefault("ZHENGTU_BENCH_SECRET_KEY", secrets.token_urlsafe(48))
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        if backend == "postgresql":  # a copy of this run's own of a seeded template, fsync on (bench/seeded.py)
            with seeded_copy("province") as name:
                run_child("bench.bench_registry", backend, name)
            continue
        print(backend_header(backend), flush=True)
        run_child("bench.bench_registry", backend, DB_NAME)


def _prepare() -> dict[str, tuple[str, int]]:
    """Seed (once) and make the users; returns label → (username, supervisees the user sees)."""
    from collections import Counter

    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.core.database import refresh_planner_statistics
    from zhengtu.demo.organisations import PROVINCE_ROOT
    from zhengtu.demo.seed import seed
    from zhengtu.orgs.models import Organisation, OrganisationKind
    from zhengtu.supervisees.models import Supervisee
    from zhengtu.supervisees.selectors import supervisees_visible_to

    call_command("migrate", verbosity=0)
    if Supervisee.objects.count() < 40_000:
        started = time.monotonic()
        seed("province", mark_as_demo=True)  # a throw-away bench database
        print(f"seeded province scale in {time.monotonic() - started:.0f} s", flush=True)
    refresh_planner_statistics()  # as the nightly job has done on any installation older than a day
    # Users at the busiest office, county and city of the seeded province: an office of ~60, a county of
    # ~500, a city of ~4,000, the province's 50,000 (the demo's own accounts sit in small places).
    per_office = Counter(dict(Supervisee.objects.values_list("responsible_office").annotate(n=Count("pk"))))
    offices = Organisation.objects.in_bulk(list(per_office))

    def busiest(kind: str) -> Organisation:
        totals: Counter[int] = Counter()
        for office_id, count in per_office.items():
            for ancestor_id in offices[office_id].path.strip("/").split("/"):
                totals[int(ancestor_id)] += count
        candidates = Organisation.objects.filter(kind=kind, pk__in=list(totals))
        return max(candidates, key=lambda organisation: totals[organisation.pk])

    bench_users = {
        "bench_office_officer": (Role.OFFICE_OFFICER, busiest(OrganisationKind.JUSTICE_OFFICE)),
        "bench_county_admin": (Role.BUREAU_ADMIN, busiest(OrganisationKind.COUNTY_BUREAU)),
        "bench_city_admin": (Role.BUREAU_ADMIN, busiest(OrganisationKind.CITY_BUREAU)),
        "bench_province_admin": (Role.BUREAU_ADMIN, Organisation.objects.get(name=PROVINCE_ROOT)),
    }
    for username, (role, organisation) in bench_users.items():
        User.objects.update_or_create(username=username, defaults={"role": role, "organisation": organisation})
    users = {
        "justice office": "bench_office_officer",
        "county bureau": "bench_county_admin",
        "city bureau": "bench_city_admin",
        "province bureau": "bench_province_admin",
        "system admin": "sysadmin",
    }
    return {
        label: (username, supervisees_visible_to(User.objects.get(username=username)).count())
        for label, username in users.items()
    }


def _child(backend: str) -> None:
    prepare_database(backend)
    users = _prepare()
    from django.conf import settings

    sessions = staff_sessions([username for username, _count in users.values()])
    scenarios = {
        "list, no filter": {},
        "status + level": {"status": "under_supervision", "level": "strict"},
        "term ending in 30 days": {"ending_within": "30"},
        "pinyin initials 'zh'": {"q": "zh"},
    }
    api_page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    port = free_port()
    server = start_server(database_env(backend, os.environ["ZHENGTU_BENCH_DB_NAME"]), port)
    print(f"-- supervisee list over HTTP; goal p95 < {GOAL_MS} ms", flush=True)
    try:
        for label, (username, visible) in users.items():
            print(f"   {label} ({username}) sees {visible:,} supervisees", flush=True)
            for scenario, params in scenarios.items():
                for kind, url in (("page", "/supervisees/"), ("api ", "/api/v1/supervisees/")):
                    samples = []
                    pages = 3  # the first three pages in turn; fewer when there are fewer (past the last is 404)
                    for i in range(REQUESTS_PER_SCENARIO + 3):
                        query = urlencode({**params, "page": 1 + i % pages})
                        status, elapsed, body = http_get(port, f"{url}?{query}", sessions[username])
                        if status != 200:
                            print(f"     {kind} {scenario:24} HTTP {status}")
                            break
                        if i == 0 and kind == "api ":
                            import json

                            pages = max(1, min(3, -(-json.loads(body)["count"] // api_page_size)))
                        if i >= 3:  # the first requests warm caches
                            samples.append(elapsed)
                    if samples:
                        verdict = "ok" if sorted(samples)[int(0.95 * (len(samples) - 1))] < GOAL_MS else "OVER"
                        print(
                            f"     {kind} {scenario:24} {percentiles(samples)} {verdict}   {machine_load()}", flush=True
                        )
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    _child(sys.argv[1])
