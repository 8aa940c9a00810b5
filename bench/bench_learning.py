"""Heartbeats of online study: how many one server sustains with 2,000 people studying (a county's evening).

Each person's study page sends a heartbeat every `learning_heartbeat_seconds` (15 s): 2,000 people need
2,000 / 15 ≈ 133 heartbeats a second. A child process prepares the database (2,000 supervisee accounts with
a logged-in session and an open study session each), starts ONE server process (`manage.py serve`:
uvicorn, one worker) and drives it over HTTP with keep-alive connections:

1. paced: the 2,000 people beat at the real rate (133/s) for a while — p50/p95 of the heartbeat request;
2. flat out: as many heartbeats as the server answers — the ceiling, in heartbeats per second.

Every heartbeat is honest (visible, normal speed, position advancing with the clock), so each one writes the
study session's row, and every `learning_progress_every_beats`-th (4) also the lesson progress. The heartbeat
path runs through the sync lane (zhengtu/core/synclane.py; `ZHENGTU_BENCH_SYNC_LANE=0` for Django's own ASGI
path, to compare). Prints the goal beside the figures and the machine's load average.
`ZHENGTU_BENCH_BACKENDS=sqlite,postgresql` (default sqlite), `ZHENGTU_BENCH_SECONDS` (default 20 per phase),
`ZHENGTU_BENCH_WEB_WORKERS` (default 1: `manage.py serve`; 2 or more: `uvicorn --workers N`, the scaled shape's
several web processes on one machine). On PostgreSQL the server keeps its connections (CONN_MAX_AGE 60, as
settings/scaled.py), else every request would open a new one.
PostgreSQL: a throw-away cluster of this run's own (fsync on, default synchronous_commit), removed
afterwards; `ZHENGTU_BENCH_PG=shared` (or an explicit ZHENGTU_DB_HOST/ZHENGTU_DB_PORT) measures an existing
server instead (bench/support.py).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import time

from bench.support import (
    ROOT,
    WORK,
    database_env,
    drop_database,
    free_port,
    fresh_database,
    percentiles,
    run_on,
    tree_cpu_seconds,
)

PEOPLE = 2000
INTERVAL = 15.0
GOAL = PEOPLE / INTERVAL


def run() -> None:
    # The seeding process and the server must sign sessions with the same key.
    os.environ.setdefault("ZHENGTU_BENCH_SECRET_KEY", base64.urlsafe_b64encode(secrets.token_bytes(48)).decode())
    for backend in os.environ.get("ZHENGTU_BENCH_BACKENDS", "sqlite").split(","):
        run_on("bench.bench_learning", backend, f"zt_bench_learning_{os.getpid()}")


def _seed() -> list[tuple[str, int]]:
    """2,000 people under supervision with an account, a session cookie and an open study session."""
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from zhengtu.accounts.middleware import LAST_SEEN_KEY, now_timestamp
    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.audit.services import Actor
    from zhengtu.learning.models import LessonKind, LessonProgress, Stage, StudySession
    from zhengtu.learning.services import content
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.supervisees.models import Status, Supervisee
    from zhengtu.testing.factories import UserFactory, make_org

    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    bureau = UserFactory(organisation=county, role=Role.BUREAU_ADMIN)
    course = content.create_course(
        actor=Actor(user=bureau), organisation=county, title="常规教育", topic="法律", stage=Stage.ROUTINE
    )
    media = ROOT / "zhengtu" / "learning" / "demo_media" / "lesson.webm"
    lesson = content.add_lesson(
        actor=Actor(user=bureau),
        course=course,
        title="视频",
        kind=LessonKind.VIDEO,
        length_seconds=3600,
        upload=SimpleUploadedFile("lesson.webm", media.read_bytes()),
    )
    content.set_published(actor=Actor(user=bureau), course=course, published=True)
    users = User.objects.bulk_create(
        [User(username=f"study{i}", role=Role.SUPERVISEE, password="!") for i in range(PEOPLE)]  # noqa: S106
    )
    today = timezone.localdate()
    people = Supervisee.objects.bulk_create(
        [
            Supervisee(
                name=f"学员{i}",
                identity_number_index=f"bench-learning-{i}",
                sex="male",
                birth_date=dt.date(1990, 1, 1),
                sentence_type="probation",
                crime="盗窃罪",
                deciding_organ="溆浦县人民法院",
                term_start=today - dt.timedelta(days=90),
                term_months=12,
                term_end=today + dt.timedelta(days=270),
                status=Status.UNDER_SUPERVISION,
                responsible_office=office,
                user=user,
            )
            for i, user in enumerate(users)
        ]
    )
    now = timezone.now()
    sessions = StudySession.objects.bulk_create(
        [StudySession(supervisee=p, lesson=lesson, started_at=now, studied_on=today, last_beat_at=now) for p in people]
    )
    LessonProgress.objects.bulk_create([LessonProgress(supervisee=p, lesson=lesson) for p in people])
    cookies = []
    for user, session in zip(users, sessions, strict=True):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[LAST_SEEN_KEY] = now_timestamp()  # else the idle timeout logs the session out at once
        store.create()
        cookies.append((store.session_key or "", session.pk))
    return cookies


SAMPLES: dict[int, bytes] = {}


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    """The status of one request on a keep-alive connection; 0 when the server closed it."""
    writer.write(raw)
    await writer.drain()
    status_line = await reader.readline()
    if len(status_line.split()) < 2:
        return 0  # the server closed the connection (or answered nothing a client could read)
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    status = int(status_line.split()[1])
    if status != 200 and status not in SAMPLES:
        SAMPLES[status] = body[:300]
    return status


class Person:
    def __init__(self, cookie: str, session: int) -> None:
        self.cookie, self.session = cookie, session
        self.last = time.monotonic()  # the page's clock: what the next heartbeat may honestly claim from
        self.due = self.last  # when the next heartbeat is sent
        self.position = 0.0

    def heartbeat(self, port: int) -> bytes:
        now = time.monotonic()
        # Claim a little less than the wall time and advance the video by it: an honest page at normal speed.
        elapsed = max(0.0, now - self.last - 0.05)
        self.last = now
        self.due = now + INTERVAL
        self.position += elapsed
        body = json.dumps(
            {
                "visible": True,
                "playing": True,
                "rate": 1,
                "position": round(self.position, 2),
                "played": [[0, round(self.position, 2)]],
                "seconds": round(elapsed, 2),
            }
        ).encode()
        csrf = "b" * 32
        return (
            f"POST /api/v1/learning/sessions/{self.session}/heartbeat/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nX-CSRFToken: {csrf}\r\n"
            f"Cookie: sessionid={self.cookie}; csrftoken={csrf}\r\n\r\n"
        ).encode() + body


async def _phase(
    port: int, people: list[Person], seconds: float, paced: bool, connections: int
) -> tuple[int, list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    done = 0
    stop = time.monotonic() + seconds
    queue: asyncio.Queue[Person] = asyncio.Queue()
    # Whoever is due first is served first (each person re-joins the queue one interval later).
    for person in sorted(people, key=lambda p: p.due):
        queue.put_nowait(person)

    async def worker() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < stop:
            person = await queue.get()
            if paced:
                wait = person.due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(min(wait, max(0.0, stop - time.monotonic())))
                    if time.monotonic() >= stop:
                        break
            started = time.monotonic()
            status = await _request(reader, writer, person.heartbeat(port))
            latencies.append((time.monotonic() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            done += status == 200
            if status == 0:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            queue.put_nowait(person)
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return done, latencies, statuses


def _wait_for(port: int, workers: int = 1) -> None:
    """Until the port answers /healthz with 200 a few times (each worker process up, not only the socket)."""
    deadline = time.monotonic() + 180
    answered = 0
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as probe:
                probe.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
                if b" 200 " in probe.recv(200):
                    answered += 1
                    if answered >= 4 * workers:
                        return
                    continue
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not start")


def _child(backend: str) -> None:
    fresh_database(backend)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    cookies = _seed()
    print(f"prepared {PEOPLE} people studying in {time.monotonic() - started:.0f} s", flush=True)
    print("load average before the run: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    from django.db import connections

    connections.close_all()
    port = free_port()
    workers = int(os.environ.get("ZHENGTU_BENCH_WEB_WORKERS", "1"))
    command = [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        command = [sys.executable, "-m", "uvicorn", "zhengtu.asgi:application", "--lifespan", "off"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
        # On a busy shared machine a worker may not answer the supervisor's 5 s ping and would be killed.
        command += ["--timeout-worker-healthcheck", "120"]
    print(f"server: {workers} web process(es)", flush=True)
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={
            **database_env(backend, os.environ["ZHENGTU_BENCH_DB_NAME"]),
            "ZHENGTU_BENCH_DB": backend,
            "ZHENGTU_BENCH_SQLITE": os.environ["ZHENGTU_BENCH_SQLITE"],
            "ZHENGTU_BENCH_CONN_MAX_AGE": "60",
        },
        stdout=subprocess.DEVNULL,
        stderr=open(WORK / "learning-server.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    try:
        _wait_for(port, workers)
        seconds = float(os.environ.get("ZHENGTU_BENCH_SECONDS", "20"))
        people = [Person(cookie, session) for cookie, session in cookies]
        random.shuffle(people)
        for person in people:
            # Spread the first heartbeats over one interval, as real pages would be; each claims only the time
            # since now (the server opened the session before it started, so the claim never exceeds its clock;
            # claiming a made-up earlier start was refused as 409 once the server kept up).
            person.last = time.monotonic()
            person.due = person.last + random.uniform(0, INTERVAL)
        done, latencies, statuses = asyncio.run(_phase(port, people, seconds, paced=True, connections=64))
        print(
            f"paced ({PEOPLE} people, one heartbeat each {INTERVAL:.0f} s): {done / seconds:6.1f} heartbeats/s "
            f"(goal {GOAL:.0f}/s)   {percentiles(latencies)}   statuses {statuses}",
            flush=True,
        )
        cpu_before = tree_cpu_seconds(server.pid)
        done, latencies, statuses = asyncio.run(_phase(port, people, seconds, paced=False, connections=32))
        cpu = tree_cpu_seconds(server.pid) - cpu_before
        print(
            f"flat out (32 connections): {done / seconds:6.1f} heartbeats/s (goal ≥ {GOAL:.0f}/s)   "
            f"{percentiles(latencies)}   statuses {statuses}",
            flush=True,
        )
        if done:
            # Less dependent on the other work on the machine than the rates: what one heartbeat costs the web
            # process(es) in CPU, and what one core would sustain at that cost (the database's own CPU not counted
            # for PostgreSQL; SQLite works inside the web process).
            per_beat = cpu / done * 1000
            print(
                f"web CPU per heartbeat: {per_beat:.1f} ms → one free core ≈ {1000 / per_beat:.0f} heartbeats/s, "
                f"two ≈ {2000 / per_beat:.0f}/s (goal {GOAL:.0f}/s)",
                flush=True,
            )
        for status, sample in SAMPLES.items():
            print(f"  a {status} answer: {sample!r}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    load = os.getloadavg()
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores "
        "(above 1 means other work shared the cores and the rates above are pessimistic)",
        flush=True,
    )


if __name__ == "__main__":
    try:
        _child(sys.argv[1])
    finally:
        drop_database(sys.argv[1])
