"""Bench: face verification per check-in, and check-ins per minute on this machine (2 cores, shared today).

    .venv/bin/python -m bench faces
    ZHENGTU_BENCH_CHECKINS=60 .venv/bin/python bench/bench_faces.py

Set-up (not timed): a throw-away SQLite file with the embedded shape's settings (WAL, immediate transactions),
migrations, one office with supervisees whose registry photo is the first public-domain sample face.
Timed:
(1) face verification alone — decode, detect, align, encode a 640×480 capture and compare (the registry photo's
    encoding is cached, as in production); p50/p95;
(2) a whole check-in through the service (challenge, face check, area, flags, stored photo, ledger, audit, the
    position through monitoring's batch processor); p50/p95;
(3) throughput — one process per core submitting check-ins for different people, as the web workers would.
Goals: verification under 1 s at p95; the county of seed 003 (≈250 app users checking in once a day, most within
two hours) needs about 2 check-ins a minute, a spot check of everyone within 30 minutes about 8 a minute.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKINS = int(os.environ.get("ZHENGTU_BENCH_CHECKINS", "40"))
WORKERS = int(os.environ.get("ZHENGTU_BENCH_WORKERS", "2"))


def _setup_django(folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtu.settings.test")
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = str(folder / "bench.sqlite3")
    settings.DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
    settings.MEDIA_ROOT = folder / "media"
    settings.ZHENGTU_PRIVATE_ROOT = folder / "private"
    settings.LOGGING_CONFIG = None
    django.setup()


def _captures(count: int) -> list[bytes]:
    """Phone-like 640×480 JPEG captures of the first person: shifted, scaled and lit a little differently."""
    from PIL import Image, ImageEnhance

    from zhengtu.faces.samples import FIRST_PERSON

    out = []
    with Image.open(FIRST_PERSON) as source:
        face = source.convert("RGB")
    for index in range(count):
        scale = 0.7 + 0.05 * (index % 5)
        resized = face.resize((int(face.width * scale), int(face.height * scale)))
        canvas = Image.new("RGB", (640, 480), (110 + index % 40, 110, 110))
        canvas.paste(resized, (60 + (index * 13) % 160, max(0, 480 - resized.height) // 2))
        canvas = ImageEnhance.Brightness(canvas).enhance(0.85 + 0.05 * (index % 6))
        buffer = io.BytesIO()
        canvas.save(buffer, format="JPEG", quality=85)
        out.append(buffer.getvalue())
    return out


def _people(count: int) -> list[int]:
    from django.core.files.base import ContentFile

    from zhengtu.accounts.roles import Role
    from zhengtu.faces import samples
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.supervisees.models import Status, Supervisee
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER)
    ids = []
    for _index in range(count):
        person = make_supervisee(office, responsible_officer=officer)
        person.user = UserFactory(role=Role.SUPERVISEE, organisation=None)
        person.photo.save("registry.jpg", ContentFile(samples.first_person()), save=False)
        person.status = Status.UNDER_SUPERVISION
        person.save()
        ids.append(person.pk)
    Supervisee.objects.filter(pk__in=ids).update(status=Status.UNDER_SUPERVISION)
    return ids


def _check_in(person_id: int, capture: bytes) -> float:
    from zhengtu.audit.services import Actor
    from zhengtu.selfservice.services.checkin import issue_challenge, submit_check_in
    from zhengtu.supervisees.models import Supervisee

    person = Supervisee.objects.select_related("user", "responsible_office").get(pk=person_id)
    actor = Actor(user=person.user)
    started = time.perf_counter()
    challenge = issue_challenge(actor=actor, supervisee=person)
    submit_check_in(
        actor=actor,
        supervisee=person,
        nonce=challenge.nonce,
        photo=capture,
        latitude=27.9087,
        longitude=110.596,
        accuracy_m=15,
    )
    return (time.perf_counter() - started) * 1000


def _worker(arguments: tuple[list[int], list[bytes]]) -> int:
    from django.db import connection

    connection.close()
    people, captures = arguments
    for index, person in enumerate(people):
        _check_in(person, captures[index % len(captures)])
    connection.close()
    return len(people)


def run() -> None:
    from bench.support import percentiles

    folder = Path(tempfile.mkdtemp(prefix="zhengtu-bench-faces-"))
    try:
        _setup_django(folder)
        from django.core.management import call_command
        from django.db import connection

        print(f"load average before: {os.getloadavg()}  (cores: {os.cpu_count()})", flush=True)
        call_command("migrate", verbosity=0)
        from zhengtu.faces.matcher import get_matcher, load_image
        from zhengtu.faces.rules import max_side_pixels

        captures = _captures(20)
        matcher = get_matcher()
        reference = matcher.read(load_image(captures[0], max_side=max_side_pixels())).encoding
        assert reference is not None
        verification = []
        for capture in captures * 2:
            started = time.perf_counter()
            reading = matcher.read(load_image(capture, max_side=max_side_pixels()))
            if reading.encoding is not None:
                matcher.similarity(reading.encoding, reference)
            verification.append((time.perf_counter() - started) * 1000)
        print(f"face verification (640×480 capture):      {percentiles(verification)}   goal p95 < 1000 ms")

        people = _people(CHECKINS + WORKERS * CHECKINS)
        singles = [_check_in(people[i], captures[i % len(captures)]) for i in range(CHECKINS)]
        print(f"whole check-in through the service:       {percentiles(singles)}")

        rest = people[CHECKINS:]
        shares = [(rest[i::WORKERS], captures) for i in range(WORKERS)]
        connection.close()
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
            done = sum(pool.map(_worker, shares))
        elapsed = time.perf_counter() - started
        print(
            f"throughput, {WORKERS} processes:              {done / elapsed * 60:7.0f} check-ins/minute "
            f"({done} in {elapsed:.1f} s)   goal ≥ 8/minute (a spot check of 250 people in 30 min)"
        )
        print(f"load average after:  {os.getloadavg()}  (the machine is shared: figures vary with it)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    run()
