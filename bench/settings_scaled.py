"""Bench settings for the scaled shape (bench_monitoring_scaled.py, the fault drill's scaled phase):
monitoring, and for the drill the job queue, on a Redis of the run's own."""

import os

from bench.settings import *  # noqa: F403

ZHENGTU_MONITORING_INGEST_TRANSPORT = "redis"
ZHENGTU_MONITORING_REDIS_URL = os.environ.get("ZHENGTU_BENCH_REDIS_URL", "")
ZHENGTU_MONITORING_REDIS_SHARDS = 8
ZHENGTU_MONITORING_INGEST_WRITERS = int(os.environ.get("ZHENGTU_INGEST_WRITERS", "1"))
ZHENGTU_MONITORING_LISTEN_HOST = "127.0.0.1"
if os.environ.get("ZHENGTU_BENCH_WATCH_PORT"):  # else the ports of ZHENGTU_GATEWAY_PORTS (settings/base.py)
    ZHENGTU_MONITORING_PORTS = {"watch": int(os.environ["ZHENGTU_BENCH_WATCH_PORT"])}
# 1,000 benchmark connections come from one address.
ZHENGTU_MONITORING_MAX_UNPROVEN_PER_ADDRESS = 2_000

# The fault drill runs jobs as the scaled shape does: `run_huey` on the same Redis (settings/scaled.py).
if os.environ.get("ZHENGTU_BENCH_SCALED_JOBS") and ZHENGTU_MONITORING_REDIS_URL:
    from huey import RedisHuey
    from huey import signals as _huey_signals

    HUEY = RedisHuey(name="zhengtu-drill", url=ZHENGTU_MONITORING_REDIS_URL)
    ZHENGTU_EMBEDDED = False  # web only in `serve`: gateway, writers and jobs are processes of their own

    if os.environ.get("ZHENGTU_BENCH_JOB_LOG"):

        def _log_job(signal: str, task: object, *args: object, **kwargs: object) -> None:
            with open(os.environ["ZHENGTU_BENCH_JOB_LOG"], "a") as log:
                log.write(f"{signal} {getattr(task, 'name', task)}\n")

        HUEY.signal(_huey_signals.SIGNAL_RETRYING, _huey_signals.SIGNAL_ERROR, _huey_signals.SIGNAL_COMPLETE)(_log_job)
