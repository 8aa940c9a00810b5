"""Supervisee list page and API at province scale (≈50,000 supervisees, ≈1,500 offices).

For SQLite and PostgreSQL: p50/p95 of the filtered list page and of GET /api/v1/supervisees/
for users at three levels of the tree (justice office, county bureau, city bureau) and a
system administrator who sees everyone. Requests go through the whole Django stack (middleware,
scoping, templates) with Django's test client, in-process, against a real database.
"""

from __future__ import annotations

import os
import sys
import time

from bench.support import percentiles, run_child

REQUESTS_PER_SCENARIO = 60


def run() -> None:
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        print(f"\n[{backend}]", flush=True)
        run_child("bench.bench_registry", backend, "zt_bench_registry")


def _prepare_database(backend: str) -> None:
    import os

    if backend == "postgresql":
        import psycopg

        name = os.environ["ZHENGTU_BENCH_DB_NAME"]
        with psycopg.connect(
            host="127.0.0.1",
            port=int(os.environ["ZHENGTU_DB_PORT"]),
            user="postgres",
            dbname="postgres",
            autocommit=True,
        ) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')


def _child(backend: str) -> None:
    _prepare_database(backend)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.demo.seed import seed
    from zhengtu.supervisees.models import Supervisee

    call_command("migrate", verbosity=0)
    if Supervisee.objects.count() < 40_000:
        started = time.monotonic()
        seed("province", mark_as_demo=True)  # a throw-away bench database
        print(f"seeded province scale in {time.monotonic() - started:.0f} s", flush=True)
    print(f"{Supervisee.objects.count()} supervisees", flush=True)

    city_admin, _ = User.objects.get_or_create(
        username="bench_city_admin",
        defaults={
            "role": Role.BUREAU_ADMIN,
            "organisation": User.objects.get(username="bureau_xupu").organisation.parent,
        },
    )
    users = {
        "office officer": User.objects.get(username="officer_lufeng"),
        "county bureau": User.objects.get(username="bureau_xupu"),
        "city bureau": city_admin,
        "system admin": User.objects.get(username="sysadmin"),
    }
    scenarios = {
        "list, no filter": {},
        "status + level": {"status": "under_supervision", "level": "strict"},
        "term ending in 30 days": {"ending_within": "30"},
        "pinyin initials 'zh'": {"q": "zh"},
    }
    page_url = reverse("supervisees:list")
    api_page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    api_url = "/api/v1/supervisees/"
    for label, user in users.items():
        client = Client()
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, confirmed=True)
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        for scenario, params in scenarios.items():
            for kind, url in (("page", page_url), ("api ", api_url)):
                samples = []
                pages = (
                    3  # the first three pages in turn; fewer when there are fewer (the API answers 404 past the last)
                )
                for i in range(REQUESTS_PER_SCENARIO + 3):
                    started = time.perf_counter()
                    response = client.get(url, {**params, "page": 1 + i % pages})
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        print(f"  {kind} {label:15} {scenario:24} HTTP {response.status_code}")
                        break
                    if i == 0 and kind == "api ":
                        pages = max(1, min(3, -(-response.json()["count"] // api_page_size)))
                    if i >= 3:  # the first requests warm caches
                        samples.append(elapsed)
                if samples:
                    print(f"  {kind} {label:15} {scenario:24} {percentiles(samples)}", flush=True)


if __name__ == "__main__":
    _child(sys.argv[1])
