"""A seeded database for the registry and dashboards benches on PostgreSQL with fsync on, without paying the seed
every run.

Seeding the province demo (50,000 supervisees, 1,655 organisations) takes 10–20 minutes on this machine. So:

- **the server**: by default a PostgreSQL cluster of the benches' own whose data directory persists between runs
  (`.bench/postgres` in the repository, ignored by git; `ZHENGTU_BENCH_PG_DIR` moves it), initdb'd once with
  fsync on and the default synchronous_commit (nothing turns durability down), started on a free port near 16532
  when a run needs it and stopped (fast shutdown, a checkpoint) when the last run using it ends. Runs using it at
  the same time share the server, each holding a shared file lock for as long as it does; the one that leaves
  last stops it. Stopping rather than keeping it running: nothing is left listening on a shared machine, and a
  start with the directory in place costs about a second. `ZHENGTU_BENCH_PG=shared` (or an explicit
  `ZHENGTU_DB_HOST` / `ZHENGTU_DB_PORT`) uses an existing server instead, as for the other benches;
- **a TEMPLATE database per seed version** (`zt_tpl_<scale>_<key>`): the key is a hash of the seed's code (the
  demo seeder and every app's `demo.py`), its parameters and the bench field key's fingerprint (the template
  holds encrypted identity numbers), so a changed seed builds a new template; one older than
  `ZHENGTU_BENCH_TEMPLATE_MAX_DAYS` (7) is built again too, because the demo's terms are dated from the day it
  was seeded (`ZHENGTU_BENCH_RESEED=1` forces a build). It is built under an exclusive file lock (a second run
  waits, then copies it), seeded in a database of a temporary name, vacuumed (frozen, analysed), renamed and
  marked a template that accepts no connections: PostgreSQL refuses to copy a database another session is
  connected to, so nothing may connect to it;
- **a copy per run**: `CREATE DATABASE bench_<pid>_<random> TEMPLATE …` (file copy), dropped at the end of the
  run, also when the bench fails. Two runs never share or drop each other's copy; on the benches' own cluster a
  copy whose run is gone (killed) is dropped by the next run.

New migrations since the template was built are applied to each copy by the bench (`migrate`), not baked in.
The heading of a run says which server (its fsync and synchronous_commit, asked of it), which template, when it was
seeded and how long the copy took; the run that builds the template says so first. To start afresh, remove
`.bench/` while no bench runs (the server is stopped then). SQLite runs are unchanged: a file kept in
`ZHENGTU_BENCH_DIR`, seeded by the first run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bench.support import (
    ROOT,
    WORK,
    PgCluster,
    _as_owner,
    _pg_admin,
    _pg_bin,
    _pg_host,
    _pg_port,
    backend_header,
    database_at,
    free_port_near,
    run_child,
    shared_server_asked,
)

# Bump when what a template holds changes in a way the hashed sources do not show (e.g. `_seed_child` below; this
# file itself is not hashed, so editing it does not cost a seed).
SEED_FORMAT = 1
SEED_VALUE = 20201  # zhengtu.demo.seed.seed's default
KEPT_DIR = Path(os.environ.get("ZHENGTU_BENCH_PG_DIR", str(ROOT / ".bench" / "postgres")))
COPY_PREFIX = "bench_"


# -- pure logic (tested in zhengtu/core/tests/test_bench_seeded.py) ---------------------------------------------


def seed_sources(root: Path = ROOT) -> list[Path]:
    """The code a seeded database depends on: the demo seeder and each app's demo data."""
    demo = [path for path in (root / "zhengtu" / "demo").rglob("*.py") if "tests" not in path.parts]
    return sorted([*demo, *(root / "zhengtu").glob("*/demo.py")])


def seed_key(scale: str, *, seed_value: int, sources: Iterable[Path], field_key: str, root: Path = ROOT) -> str:
    """12 hex digits naming a seed version: the same inputs give the same key, a change to any gives another."""
    digest = hashlib.sha256(f"{SEED_FORMAT}\0{scale}\0{seed_value}\0".encode())
    digest.update(hashlib.sha256(field_key.encode()).digest())  # only a fingerprint of the key
    for path in sorted(sources):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def template_name(scale: str, key: str) -> str:
    return f"zt_tpl_{scale}_{key}"


def copy_name(pid: int | None = None, token: str | None = None) -> str:
    """A database name of this run's own: its process id and a random part (a pid is reused across time)."""
    return f"{COPY_PREFIX}{os.getpid() if pid is None else pid}_{token or secrets.token_hex(4)}"


def copy_owner_pid(name: str) -> int | None:
    """The process id in a copy's name, None for a database that is not a bench copy."""
    parts = name.split("_")
    if len(parts) != 3 or f"{parts[0]}_" != COPY_PREFIX or not parts[1].isdigit():
        return None
    return int(parts[1])


def template_too_old(seeded_on: dt.date | None, today: dt.date, max_days: int) -> bool:
    """The demo's terms are dated from the day of seeding: a template older than `max_days` is built again."""
    return seeded_on is None or (today - seeded_on).days > max_days


# -- locks and the kept cluster -----------------------------------------------------------------------------------


@contextlib.contextmanager
def file_lock(path: Path, *, shared: bool = False, waiting: str = "") -> Iterator[None]:
    """An fcntl lock on `path` for the block; says `waiting` when another process holds it first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                print(waiting, flush=True)
            fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class KeptPgCluster(PgCluster):
    """`PgCluster` whose data directory stays: started when a run needs it, stopped when the last run leaves."""

    def __init__(self, directory: Path = KEPT_DIR) -> None:
        super().__init__(directory=directory, port=1)  # the real port is chosen at start
        self.locks = directory.parent / "locks"

    def running_port(self) -> int | None:
        """The port of the running server of this directory (postmaster.pid's fourth line), None if it is down."""
        try:
            _as_owner([str(_pg_bin() / "pg_ctl"), "-D", str(self.directory), "status"])
            return int((self.directory / "postmaster.pid").read_text().splitlines()[3])
        except (subprocess.CalledProcessError, OSError, IndexError, ValueError):
            return None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.getuid() == 0:
            os.chown(self.directory, *_postgres_ids())
            self.directory.chmod(0o700)
        version = self.directory / "PG_VERSION"
        if version.exists() and version.read_text().strip() != _pg_bin().parent.name:
            # Made by another major version of PostgreSQL (an upgrade): it cannot start it, so start afresh.
            print(f"{self.directory}: PostgreSQL {version.read_text().strip()}'s, made again", flush=True)
            for entry in self.directory.iterdir():
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
        if not version.exists():
            _as_owner(
                [str(_pg_bin() / "initdb"), "-D", str(self.directory), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            )
            with open(self.directory / "postgresql.conf", "a") as conf:
                # The port is given at each start (-p): the one of the last start may be taken by then.
                conf.write(
                    f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{self.directory}'\n"
                    "max_connections = 100\n"
                )
        for attempt in range(3):
            self.port = free_port_near(16532)
            try:
                self._pg_ctl("-l", str(self.directory / "log"), "-o", f"-p {self.port}", "-w", "start")
                return
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("-m", "fast", "-w", "stop")


def _postgres_ids() -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


@contextlib.contextmanager
def kept_postgres() -> Iterator[KeptPgCluster]:
    """The kept cluster, running for the block (started if no other run has it running); our environment points
    at it like `own_postgres` does. Every run using it holds `users.lock` shared; start and stop happen under
    `start.lock`, and the run that can take `users.lock` exclusively there is the last one: it stops the server."""
    cluster = KeptPgCluster()
    users = None
    try:
        with file_lock(cluster.locks / "start.lock"):
            port = cluster.running_port()
            if port is None:
                cluster.start()
            else:
                cluster.port = port
            users = open(cluster.locks / "users.lock", "a")  # noqa: SIM115 - held until the block ends
            fcntl.flock(users, fcntl.LOCK_SH)
        with database_at(cluster.port):
            yield cluster
    finally:
        with file_lock(cluster.locks / "start.lock"):
            if users is not None:
                users.close()  # gives up our shared lock
            with open(cluster.locks / "users.lock", "a") as last:
                try:
                    fcntl.flock(last, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    pass  # another run still uses the server
                else:
                    cluster.stop()


# -- the template and the copies ---------------------------------------------------------------------------------


def _field_key() -> str:
    """The key the bench settings encrypt with (bench/settings.py reads the same)."""
    from zhengtu.settings.keys import read_key

    return read_key("ZHENGTU_BENCH_FIELD_KEY", WORK / "field-key", create_if_missing=True)


def _template_comment(name: str) -> dict[str, object] | None:
    """The template's comment (when it was seeded, in how long); None when there is no such database."""
    with _pg_admin() as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if row is None:
        return None
    try:
        return dict(json.loads(row[0])) if row[0] else {}
    except ValueError:
        return {}


def _seeded_on(comment: dict[str, object]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(comment["seeded_on"]))
    except (KeyError, ValueError):
        return None


def _drop(admin: Any, name: str) -> None:
    """Drop a database, a template too (PostgreSQL refuses to drop one still marked as a template)."""
    admin.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false ALLOW_CONNECTIONS true')
    admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _build_template(name: str, scale: str) -> float:
    """Seed `scale` into a database of a temporary name, then make it the template `name`; returns seconds."""
    building = f"{name}_building"
    with _pg_admin() as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [building]).fetchone():
            _drop(admin, building)  # a build that was killed (we hold the lock: no one else is building)
        admin.execute(f'CREATE DATABASE "{building}"')
    started = time.monotonic()
    try:
        if run_child("bench.seeded", "postgresql", building, scale) != 0:
            raise SystemExit(f"seeding the template {name} failed (see above)")
        import psycopg

        # Frozen and analysed once here, so no copy pays hint-bit writes on its first reads or plans blind.
        with psycopg.connect(
            host=_pg_host(), port=_pg_port(), user=os.environ.get("ZHENGTU_DB_USER", "postgres"),
            password=os.environ.get("ZHENGTU_DB_PASSWORD", ""), dbname=building, autocommit=True,
        ) as connection:  # fmt: skip
            connection.execute("VACUUM (FREEZE, ANALYZE)")
        seconds = time.monotonic() - started
        with _pg_admin() as admin:
            if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                _drop(admin, name)  # too old: replaced
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            admin.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
            comment = json.dumps({"seeded_on": dt.date.today().isoformat(), "seconds": round(seconds)})
            admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")
        return seconds
    except BaseException:
        with _pg_admin() as admin, contextlib.suppress(Exception):
            _drop(admin, building)
        raise


def _drop_stale(scale: str, keep: str) -> list[str]:
    """On the benches' own cluster: templates of other seed versions, and copies whose run is gone."""
    dropped = []
    with _pg_admin() as admin:
        for (name,) in admin.execute("SELECT datname FROM pg_database").fetchall():
            pid = copy_owner_pid(name)
            stale_template = name.startswith(f"zt_tpl_{scale}_") and name != keep
            if stale_template or (pid is not None and not _alive(pid)):
                _drop(admin, name)
                dropped.append(name)
    return dropped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM (a `timeout`, a killed `make`) ends the run through its `finally` blocks, so the copy is dropped and
    the server stopped, instead of Python's default of dying on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def seeded_copy(scale: str = "province") -> Iterator[str]:
    """For a bench's PostgreSQL run: the server (the kept cluster, or the one the user named), the seeded template
    (built if missing or too old) and a copy of this run's own, whose name is yielded; prints the heading."""
    if shared_server_asked():
        server: contextlib.AbstractContextManager[object] = contextlib.nullcontext()
        where, locks = "existing server", WORK / "locks" / f"{_pg_host()}-{_pg_port()}"
    else:
        server = kept_postgres()
        where, locks = f"kept cluster in {KEPT_DIR}", KEPT_DIR.parent / "locks"
    with _terminate_as_exit(), server:
        key = seed_key(scale, seed_value=SEED_VALUE, sources=seed_sources(), field_key=_field_key())
        template = template_name(scale, key)
        copy = copy_name()
        max_days = int(os.environ.get("ZHENGTU_BENCH_TEMPLATE_MAX_DAYS", "7"))
        # One lock per scale, not per version: a build, a copy and the dropping of an older version never overlap.
        waiting = f"waiting for another run building or copying the {scale} template"
        with file_lock(locks / f"zt_tpl_{scale}.lock", waiting=waiting):
            if not shared_server_asked():
                for name in _drop_stale(scale, keep=template):
                    print(f"dropped {name} (an older seed version, or the copy of a run that is gone)", flush=True)
            comment = _template_comment(template)
            reseed = os.environ.get("ZHENGTU_BENCH_RESEED") == "1"
            if reseed or comment is None or template_too_old(_seeded_on(comment), dt.date.today(), max_days):
                why = "asked" if reseed else "none for this seed version" if comment is None else "too old"
                print(f"seeding the template {template} ({scale} demo; {why}): minutes, once", flush=True)
                seconds = _build_template(template, scale)
                print(f"seeded {template} in {seconds:.0f} s", flush=True)
            started = time.monotonic()
            with _pg_admin() as admin:
                strategy = " STRATEGY FILE_COPY" if admin.info.server_version >= 150000 else ""
                admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"{strategy}')
            copied = time.monotonic() - started
        try:
            print(backend_header("postgresql", where=where), flush=True)
            seeded = _template_comment(template) or {}
            print(
                f"database {copy}: a copy of the template {template} (seeded {seeded.get('seeded_on', '?')} in "
                f"{seeded.get('seconds', '?')} s), copied in {copied:.1f} s",
                flush=True,
            )
            yield copy
        finally:
            with _pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def _seed_child(scale: str) -> None:
    """In the child, on the database being built: migrate and seed."""
    import django

    django.setup()
    from django.core.management import call_command

    from zhengtu.demo.seed import seed

    call_command("migrate", verbosity=0)
    seed(scale, seed_value=SEED_VALUE, mark_as_demo=True)  # a throw-away bench database


if __name__ == "__main__":
    _seed_child(sys.argv[2])
