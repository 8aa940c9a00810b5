"""Helpers shared by benchmarks: a Django process per database, a PostgreSQL cluster of a run's own,
percentiles.

Which PostgreSQL server a bench measures (`run_on`, used by the monitoring, monitoring_live,
monitoring_storm, tracks, learning, absconding and juvenile benches; monitoring_faults starts its own
cluster always, it crashes it; registry and dashboards, whose province demo takes minutes to seed, work on a
copy of a seeded template in a cluster kept between runs, fsync on too: bench/seeded.py):

- by default a throw-away cluster of this run's own (initdb in a temporary folder, a free port,
  fsync on and the default synchronous_commit, as a production server), removed afterwards: the
  figures are those of durable commits, and two `make bench` runs on one machine never share (or
  drop) each other's databases (its port: the first free from 16432, or `ZHENGTU_BENCH_OWN_PG_PORT`);
- `ZHENGTU_BENCH_PG=shared`, or an explicit `ZHENGTU_DB_HOST` / `ZHENGTU_DB_PORT`: an existing
  server (default 127.0.0.1:5433, the test cluster, which runs with fsync off: the heading says
  so and that its figures are flattered); each run still uses a database named after its process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("ZHENGTU_BENCH_DIR", "/tmp/zhengtu-bench"))
PG_PORT = os.environ.get("ZHENGTU_TEST_PG_PORT", "5433")


def _pg_host() -> str:
    return os.environ.get("ZHENGTU_DB_HOST", "127.0.0.1")


def _pg_port() -> int:
    """The server of this run: the own cluster's port once `run_on` started it (set in our environment), or the
    shared one."""
    return int(os.environ.get("ZHENGTU_DB_PORT", PG_PORT))


def _pg_admin() -> Any:
    """An autocommit connection to the server's `postgres` database (to create, drop and inspect)."""
    import psycopg

    return psycopg.connect(
        host=_pg_host(),
        port=_pg_port(),
        user=os.environ.get("ZHENGTU_DB_USER", "postgres"),
        password=os.environ.get("ZHENGTU_DB_PASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    )


def database_env(backend: str, name: str) -> dict[str, str]:
    """Environment for a child process using the bench settings on `backend` (sqlite or postgresql)."""
    WORK.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["ZHENGTU_BENCH_DB"] = backend
    env["ZHENGTU_BENCH_DB_NAME"] = name
    env["ZHENGTU_BENCH_SQLITE"] = str(WORK / f"{name}.sqlite3")
    env["ZHENGTU_DB_PORT"] = str(_pg_port())
    return env


def run_child(module: str, backend: str, name: str, *args: str) -> int:
    """Run `python -m module backend args...` with the bench settings; its output goes to ours."""
    return subprocess.call([sys.executable, "-m", module, backend, *args], cwd=ROOT, env=database_env(backend, name))


def shared_server_asked() -> bool:
    """The user pointed the benches at an existing PostgreSQL server (see the module's docstring)."""
    mode = os.environ.get("ZHENGTU_BENCH_PG", "")
    if mode not in ("", "own", "shared"):
        raise SystemExit(f"ZHENGTU_BENCH_PG={mode!r}: use 'own' (the default) or 'shared'")
    if mode:
        return mode == "shared"
    return "ZHENGTU_DB_HOST" in os.environ or "ZHENGTU_DB_PORT" in os.environ


def run_on(module: str, backend: str, name: str, *args: str) -> int:
    """Print the backend's heading and run the bench's child on it: for PostgreSQL on a cluster of this run's own
    (fsync on), started here and removed afterwards, unless the user asked for an existing server."""
    if backend != "postgresql" or shared_server_asked():
        print(backend_header(backend), flush=True)
        return run_child(module, backend, name, *args)
    with own_postgres() as cluster:
        print(backend_header(backend, where=f"own cluster in {cluster.directory}"), flush=True)
        return run_child(module, backend, name, *args)


@contextlib.contextmanager
def own_postgres() -> Iterator[PgCluster]:
    """A throw-away cluster for the duration of the block; our environment points at it (ZHENGTU_DB_PORT, so
    the children and `database_env` find it), and is given back afterwards."""
    cluster = PgCluster()
    try:
        cluster.start()
        with database_at(cluster.port):
            yield cluster
    finally:
        cluster.stop()


@contextlib.contextmanager
def database_at(port: int) -> Iterator[None]:
    """For the block, this process and its children use the PostgreSQL server on 127.0.0.1:`port`."""
    saved = {key: os.environ.get(key) for key in ("ZHENGTU_DB_HOST", "ZHENGTU_DB_PORT")}
    os.environ["ZHENGTU_DB_HOST"], os.environ["ZHENGTU_DB_PORT"] = "127.0.0.1", str(port)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def free_port_near(preferred: int = 0) -> int:
    """`preferred` if no one listens on it, else any free port."""
    with socket.socket() as probe:
        # As PostgreSQL binds: connections of a server just stopped (TIME_WAIT) do not make its port taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (scripts/system-packages.sh)")
    return found[-1]


def _as_owner(command: list[str]) -> None:
    """pg_ctl refuses to run as root: as the postgres user then."""
    if os.getuid() == 0:
        command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{part}'" for part in command)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class PgCluster:
    """A PostgreSQL cluster of a bench run's own: initdb in a temporary folder, a free port, fsync on and the
    default synchronous_commit (nothing in postgresql.conf turns durability down); the shared test cluster is
    never touched. `stop` removes the folder."""

    def __init__(self, directory: Path | None = None, port: int | None = None) -> None:
        self.directory = directory or Path(tempfile.mkdtemp(prefix="zhengtu-bench-pg-"))
        self.port = port or int(os.environ.get("ZHENGTU_BENCH_OWN_PG_PORT", "0")) or free_port_near(16432)

    def start(self) -> None:
        if os.getuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        bin_dir = _pg_bin()
        if not (self.directory / "PG_VERSION").exists():
            _as_owner(
                [str(bin_dir / "initdb"), "-D", str(self.directory), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            )
            with open(self.directory / "postgresql.conf", "a") as conf:
                conf.write(
                    f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                    f"unix_socket_directories = '{self.directory}'\nmax_connections = 100\n"
                )
        for attempt in range(3):
            try:
                self._pg_ctl("-l", str(self.directory / "log"), "-w", "start")
                return
            except subprocess.CalledProcessError:
                # Another run took the port between our probe and the start (initdb takes seconds): another one.
                if attempt == 2:
                    raise
                self.port = free_port_near()
                with open(self.directory / "postgresql.conf", "a") as conf:
                    conf.write(f"port = {self.port}\n")  # the last setting wins

    def crash_restart(self) -> None:
        """An immediate stop (no checkpoint: recovery from the WAL at start, as after a crash), then start."""
        self._pg_ctl("-m", "immediate", "-w", "stop")
        self._pg_ctl("-l", str(self.directory / "log"), "-w", "start")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

    def _pg_ctl(self, *args: str) -> None:
        _as_owner([str(_pg_bin() / "pg_ctl"), "-D", str(self.directory), *args])


def percentiles(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (n={len(ordered)})"


def drop_database(backend: str) -> None:
    """In the child: remove this run's database (named per run, so runs never share one)."""
    from django.db import connections

    connections.close_all()
    if backend == "postgresql":
        with _pg_admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{os.environ["ZHENGTU_BENCH_DB_NAME"]}" WITH (FORCE)')
    else:
        path = os.environ["ZHENGTU_BENCH_SQLITE"]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def prepare_database(backend: str) -> None:
    """In the child: create this run's PostgreSQL database if it is missing (SQLite creates its file)."""
    if backend != "postgresql":
        return
    name = os.environ["ZHENGTU_BENCH_DB_NAME"]
    with _pg_admin() as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def backend_header(backend: str, where: str = "") -> str:
    """The heading of a backend's figures; for PostgreSQL, which server and how durable its commits were (asked
    of the server itself), because the shared test cluster runs with fsync off (scripts/test-postgres.sh) and
    that flatters every write."""
    if backend != "postgresql":
        return f"\n[{backend}]"
    where = f" ({where})" if where else ""
    try:
        with _pg_admin() as connection:
            fsync = connection.execute("SHOW fsync").fetchone()
            synchronous = connection.execute("SHOW synchronous_commit").fetchone()
    except Exception as error:  # noqa: BLE001 - the heading must not stop the bench
        return f"\n[{backend}] (server settings unknown: {error})"
    flattered = (
        " (commits cost less than on a durable server: figures flattered)" if fsync and fsync[0] == "off" else ""
    )
    return (
        f"\n[{backend}] server on {_pg_host()}:{_pg_port()}{where}: fsync {fsync[0] if fsync else '?'}, "
        f"synchronous_commit {synchronous[0] if synchronous else '?'}{flattered}"
    )


def machine_load() -> str:
    """Printed beside every figure: the machine is shared, and its load moves the figures."""
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (all its threads), from /proc; 0 once it is gone.
    Less dependent on the machine's other work than wall time, so benches print it beside their rates."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def database_server_cpu_seconds() -> float | None:
    """In a child with Django set up, on PostgreSQL: CPU seconds of the database server so far, all its
    processes (backends, WAL writer, checkpointer, autovacuum; on a shared server its other clients' work too).
    None on SQLite (it runs inside the writer) or when the server's folder is not readable here."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        directory = cursor.fetchone()[0]
    try:
        with open(Path(directory) / "postmaster.pid") as pid_file:
            return tree_cpu_seconds(int(pid_file.readline()))
    except (OSError, ValueError):
        return None


def child_pids(pid: int) -> list[int]:
    """Live child processes of `pid`, whichever of its threads started them (the ingest writer is
    spawned by a worker thread: it is listed under that thread, not the main one)."""
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(child) for child in children.read().split()]
        except OSError:
            continue
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and all its descendants (uvicorn's workers, the writer child)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        total += process_cpu_seconds(current)
        pending += child_pids(current)
    return total


def free_port() -> int:
    """A port no one listens on (other benchmarks and servers may run on this machine at the same time)."""
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` different ports no one listens on: all probed at once (ports probed one after the
    other may come back the same, the kernel reusing a port just released)."""
    import contextlib
    import socket

    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """uvicorn serving the ASGI app (as `manage.py serve` runs it) on 127.0.0.1:port; returns once /healthz answers.

    The caller sets ZHENGTU_BENCH_SECRET_KEY in its own environment first, so sessions it makes verify there."""
    import http.client
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "zhengtu.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--lifespan", "off", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the bench server did not start")


def http_get(port: int, path: str, session: str) -> tuple[int, float, bytes]:
    """GET over a new HTTP connection as a logged-in browser would: status, milliseconds, body."""
    import http.client
    import time

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={session}", "Accept-Language": "zh-hans"})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, elapsed, body


def staff_sessions(usernames: list[str]) -> dict[str, str]:
    """In a child with Django set up: a verified (password + TOTP) session per user, username → session key."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengtu.accounts.models import User

    sessions = {}
    for user in User.objects.filter(username__in=usernames):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["otp_device_id"] = device.persistent_id
        store.create()
        sessions[user.username] = store.session_key or ""
    return sessions


def fresh_database(backend: str) -> None:
    """In the child: start from an empty database of this run's name (dropped and made again)."""
    if backend == "postgresql":
        name = os.environ["ZHENGTU_BENCH_DB_NAME"]
        with _pg_admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    else:
        path = os.environ["ZHENGTU_BENCH_SQLITE"]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def bulk_supervisees(
    count: int,
    *,
    offices: list[Any],
    officers: list[Any] | None = None,
    tag: str,
    name: str = "对象{i:05d}",
    organ: str = "基准县人民法院",
) -> list[Any]:
    """`count` people under supervision, spread over `offices` (and `officers`, in step), written in bulk with
    the registry's own checks skipped: set-up data for a benchmark, not what it measures. `tag` keeps each
    benchmark's blind-index values apart."""
    import datetime as dt

    from django.utils import timezone

    from zhengtu.supervisees.models import SentenceType, Status, Supervisee

    today = timezone.localdate()
    return Supervisee.objects.bulk_create(
        [
            Supervisee(
                name=name.format(i=i),
                identity_number_index=f"{tag}-{i:08d}",
                sex="male",
                birth_date=dt.date(1980, 1, 1),
                sentence_type=SentenceType.PROBATION,
                crime="盗窃罪",
                deciding_organ=organ,
                term_start=today - dt.timedelta(days=60),
                term_months=12,
                term_end=today + dt.timedelta(days=300),
                status=Status.UNDER_SUPERVISION,
                responsible_office=offices[i % len(offices)],
                responsible_officer=officers[i % len(officers)] if officers else None,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )


def bind_for_a_quarter(devices: list[Any], people: list[Any]) -> None:
    """In the child: each device bound to its person from 30 days ago to 60 days ahead (the benches'
    devices are all monitored now)."""
    import datetime as dt

    from django.utils import timezone

    from zhengtu.monitoring.models import DeviceBinding

    now = timezone.now()
    DeviceBinding.objects.bulk_create(
        [
            DeviceBinding(
                device=d, supervisee=p, starts_at=now - dt.timedelta(days=30), ends_at=now + dt.timedelta(days=60)
            )
            for d, p in zip(devices, people, strict=True)
        ],
        batch_size=1000,
    )
