"""Juvenile case list and counts with the sealing rule, at the size of a province's files (20,000 cases, one in
ten sealed, three people on each case).

For SQLite and PostgreSQL: p50/p95 of the case list page (first page, and a name search), of
GET /api/v1/juvenile-cases/ and of `case_counts_for` for a social worker on many cases, a colleague of the same
agency on none, and a prosecutor. Goal: each under 300 ms at p95 on this machine.
"""

from __future__ import annotations

import os
import sys
import time

from bench.support import percentiles, run_on

CASES = 20_000
REQUESTS_PER_SCENARIO = 40
GOAL_MS = 300


def run() -> None:
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        run_on("bench.bench_juvenile", backend, "zt_bench_juvenile")


def _seed() -> None:
    import datetime as dt
    import random

    from django.utils import timezone

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.juvenile.models import CaseMember, JuvenileCase, ServiceType, Stage
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.orgs.services import create_organisation

    rng = random.Random(4)
    city = create_organisation(name="基准市社区矫正管理局", kind=OrganisationKind.CITY_BUREAU)
    counties = []
    for c in range(20):
        county = create_organisation(name=f"基准{c}县社区矫正管理局", kind=OrganisationKind.COUNTY_BUREAU, parent=city)
        agency = create_organisation(name=f"基准{c}县社工中心", kind=OrganisationKind.AGENCY, parent=county)
        procuratorate = create_organisation(
            name=f"基准{c}县人民检察院", kind=OrganisationKind.PROCURATORATE, parent=county
        )
        workers = [
            User.objects.create(username=f"bench_sw_{c}_{n}", role=Role.SOCIAL_WORKER, organisation=agency)
            for n in range(5)
        ]
        prosecutor = User.objects.create(username=f"bench_pr_{c}", role=Role.PROSECUTOR, organisation=procuratorate)
        counties.append((county, agency, procuratorate, workers, prosecutor))
    today = dt.date.today()
    rows = []
    for n in range(CASES):
        county, agency, procuratorate, _workers, _prosecutor = counties[n % len(counties)]
        rows.append(
            JuvenileCase(
                number=f"未B-{n:06d}",
                service_type=rng.choice(ServiceType.values),
                stage=rng.choice(Stage.values),
                child_name=f"{rng.choice('王李张刘陈杨赵黄周吴')}某{n}",
                sex="male",
                birth_date=dt.date(2010, 1, 1),
                county=county,
                agency=agency,
                referrer_kind="procuratorate",
                referring_organisation=procuratorate,
                referred_on=today - dt.timedelta(days=n % 700),
            )
        )
    JuvenileCase.objects.bulk_create(rows, batch_size=2000)
    # One case in ten of every county sealed (cases go round the counties, so count per county).
    sealed = [
        pk for pk, number in JuvenileCase.objects.values_list("pk", "number") if (int(number[-6:]) // 20) % 10 == 0
    ]
    JuvenileCase.objects.filter(pk__in=sealed).update(sealed_at=timezone.now())
    members = []
    for case_id, number, county_id in JuvenileCase.objects.values_list("pk", "number", "county_id"):
        _county, _agency, _procuratorate, workers, prosecutor = next(c for c in counties if c[0].pk == county_id)
        index = int(number[-6:])
        members.append(CaseMember(case_id=case_id, user=workers[index % 4], role="社工"))
        members.append(CaseMember(case_id=case_id, user=prosecutor, role="转介人"))
        members.append(CaseMember(case_id=case_id, user=workers[(index + 1) % 4], role="协助"))
    CaseMember.objects.bulk_create(members, batch_size=5000)


def _child(backend: str) -> None:
    from bench.support import prepare_database

    prepare_database(backend)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengtu.accounts.models import User
    from zhengtu.juvenile.models import JuvenileCase
    from zhengtu.juvenile.selectors import case_counts_for

    call_command("migrate", verbosity=0)
    if JuvenileCase.objects.count() < CASES:
        started = time.monotonic()
        _seed()
        print(f"seeded {CASES} cases in {time.monotonic() - started:.0f} s", flush=True)
    print(
        f"{JuvenileCase.objects.count()} cases, {JuvenileCase.objects.filter(sealed_at__isnull=False).count()} sealed"
    )
    users = {
        "social worker on ~400 cases": User.objects.get(username="bench_sw_0_0"),
        "colleague on none": User.objects.get(username="bench_sw_0_4"),
        "prosecutor": User.objects.get(username="bench_pr_0"),
    }
    for label, user in users.items():
        client = Client()
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        for name, call in (
            ("list page", lambda c=client: c.get("/juvenile/")),
            ("name search", lambda c=client: c.get("/juvenile/", {"q": "王某1"})),
            ("API list", lambda c=client: c.get("/api/v1/juvenile-cases/")),
            ("case_counts_for", lambda u=user: case_counts_for(u)),
        ):
            samples = []
            for _ in range(REQUESTS_PER_SCENARIO):
                started = time.perf_counter()
                call()
                samples.append((time.perf_counter() - started) * 1000)
            print(f"{label:28} {name:16} {percentiles(samples)}   goal p95 < {GOAL_MS} ms", flush=True)
    counted = case_counts_for(users["colleague on none"])["total"]
    print(f"the colleague counts {counted} of their agency's 1,000 cases (the 100 sealed are never counted)")


if __name__ == "__main__":
    _child(sys.argv[1])
