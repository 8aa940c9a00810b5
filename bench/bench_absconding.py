"""The hourly scan that opens a search (找寻) for people out of contact, and "my tasks" with searches and expiring
permits, at the size of a city (20,000 people under supervision, 2,000 wearing a device).

Figures: the scan's first run (opens a search for everyone past a threshold: about one person in twenty), its
steady run an hour later (opens nothing, the usual case), and p50/p95 of an officer's "my tasks" with 1,000 people
and their open searches. Goal: each scan under 60 s, "my tasks" under 300 ms at p95 on this machine.
"""

from __future__ import annotations

import os
import sys
import time

from bench.support import drop_database, fresh_database, percentiles, run_on

PEOPLE = 20_000
DEVICES = 2_000
SCAN_GOAL_S = 60
TASKS_GOAL_MS = 300
REQUESTS = 30


def run() -> None:
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite,postgresql").split(","):
        run_on("bench.bench_absconding", backend, f"zt_bench_absconding_{os.getpid()}")


def _seed() -> object:
    import datetime as dt
    import random
    import secrets

    from django.utils import timezone

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.monitoring.models import Device, DeviceBinding, DeviceState
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.orgs.services import create_organisation
    from zhengtu.supervisees.models import Status, Supervisee
    from zhengtu.supervision.models import CheckIn, SupervisionFile
    from zhengtu.testing.factories import make_supervisee

    rng = random.Random(14)
    today = timezone.localdate()
    now = timezone.now()
    county = create_organisation(name="基准县社区矫正管理局", kind=OrganisationKind.COUNTY_BUREAU)
    offices = [
        create_organisation(name=f"基准{n}司法所", kind=OrganisationKind.JUSTICE_OFFICE, parent=county)
        for n in range(20)
    ]
    officers = [
        User.objects.create(username=f"bench_officer_{n}", role=Role.OFFICE_OFFICER, organisation=office)
        for n, office in enumerate(offices)
    ]
    # One person through the real service; the rest are copies with their own index (as an import would write).
    template = make_supervisee(offices[0], term_start=today - dt.timedelta(days=200), term_months=24)
    fields = {f.attname: getattr(template, f.attname) for f in Supervisee._meta.concrete_fields if not f.primary_key}
    people = []
    for n in range(PEOPLE):
        office = n % len(offices)
        people.append(
            Supervisee(
                **{
                    **fields,
                    "identity_number_index": secrets.token_hex(32),
                    "responsible_office_id": offices[office].pk,
                    "responsible_officer_id": officers[office].pk,
                    "status": Status.UNDER_SUPERVISION,
                    "supervision_level": rng.choice(["strict", "standard", "standard", "lenient"]),
                }
            )
        )
    Supervisee.objects.bulk_create(people, batch_size=2000)
    ids = list(Supervisee.objects.values_list("pk", flat=True))
    SupervisionFile.objects.bulk_create(
        [SupervisionFile(supervisee_id=pk, reported_on=today - dt.timedelta(days=190)) for pk in ids], batch_size=2000
    )
    # Most people checked in lately; about one in twenty has been silent for two months.
    check_ins = [
        CheckIn(
            supervisee_id=pk,
            kind="checkin",
            channel="office",
            occurred_on=today - dt.timedelta(days=rng.randint(60, 70) if rng.random() < 0.05 else rng.randint(0, 6)),
        )
        for pk in ids
    ]
    CheckIn.objects.bulk_create(check_ins, batch_size=2000)
    devices = Device.objects.bulk_create(
        [
            Device(identifier=f"86{n:013d}", kind="wristband", protocol="jt808", organisation=county)
            for n in range(DEVICES)
        ]
    )
    DeviceBinding.objects.bulk_create(
        [
            DeviceBinding(
                device=device,
                supervisee_id=ids[n],
                starts_at=now - dt.timedelta(days=10),
                ends_at=now + dt.timedelta(days=50),
            )
            for n, device in enumerate(devices)
        ]
    )
    DeviceState.objects.bulk_create(
        [
            DeviceState(device=device, last_seen_at=now - dt.timedelta(hours=30 if rng.random() < 0.02 else 0.1))
            for device in devices
        ]
    )
    return officers[0]


def _child(backend: str) -> None:
    fresh_database(backend)
    import django

    django.setup()
    from django.core.management import call_command

    from zhengtu.supervision.models import SearchRecord
    from zhengtu.supervision.selectors import my_tasks
    from zhengtu.supervision.services.contact import open_searches_for_unreachable

    try:
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        officer = _seed()
        print(f"seeded {PEOPLE} people, {DEVICES} devices in {time.monotonic() - started:.0f} s", flush=True)
        for label in ("first scan", "steady scan"):
            started = time.monotonic()
            opened = open_searches_for_unreachable()
            took = time.monotonic() - started
            print(f"  {label:12} {took:6.1f} s  (goal < {SCAN_GOAL_S} s)  opened {opened}", flush=True)
        print(f"  open searches: {SearchRecord.objects.filter(closed_at__isnull=True).count()}", flush=True)
        samples = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            tasks = my_tasks(officer)  # type: ignore[arg-type]
            samples.append((time.perf_counter() - started) * 1000)
        print(f"  my tasks ({len(tasks)} tasks)  {percentiles(samples)}  (goal p95 < {TASKS_GOAL_MS} ms)", flush=True)
    finally:
        drop_database(backend)


if __name__ == "__main__":
    _child(sys.argv[1])
