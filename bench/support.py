"""Helpers shared by benchmarks: a Django process per database, percentiles."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("ZHENGTU_BENCH_DIR", "/tmp/zhengtu-bench"))
PG_PORT = os.environ.get("ZHENGTU_TEST_PG_PORT", "5433")


def database_env(backend: str, name: str) -> dict[str, str]:
    """Environment for a child process using the bench settings on `backend` (sqlite or postgresql)."""
    WORK.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["ZHENGTU_BENCH_DB"] = backend
    env["ZHENGTU_BENCH_DB_NAME"] = name
    env["ZHENGTU_BENCH_SQLITE"] = str(WORK / f"{name}.sqlite3")
    env["ZHENGTU_DB_PORT"] = PG_PORT
    return env


def run_child(module: str, backend: str, name: str, *args: str) -> int:
    """Run `python -m module backend args...` with the bench settings; its output goes to ours."""
    return subprocess.call([sys.executable, "-m", module, backend, *args], cwd=ROOT, env=database_env(backend, name))


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
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=int(os.environ["ZHENGTU_DB_PORT"]),
            user="postgres",
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{os.environ["ZHENGTU_BENCH_DB_NAME"]}" WITH (FORCE)')
    else:
        path = os.environ["ZHENGTU_BENCH_SQLITE"]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
