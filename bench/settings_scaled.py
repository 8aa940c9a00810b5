"""Bench settings for the scaled shape (bench/bench_monitoring_scaled.py): monitoring on its own Redis."""

import os

from bench.settings import *  # noqa: F403

ZHENGTU_MONITORING_INGEST_TRANSPORT = "redis"
ZHENGTU_MONITORING_REDIS_URL = os.environ.get("ZHENGTU_BENCH_REDIS_URL", "")
ZHENGTU_MONITORING_REDIS_SHARDS = 8
ZHENGTU_MONITORING_INGEST_WRITERS = int(os.environ.get("ZHENGTU_INGEST_WRITERS", "1"))
ZHENGTU_MONITORING_LISTEN_HOST = "127.0.0.1"
ZHENGTU_MONITORING_PORTS = {"watch": int(os.environ.get("ZHENGTU_BENCH_WATCH_PORT", "5093"))}
# 1,000 benchmark connections come from one address.
ZHENGTU_MONITORING_MAX_UNPROVEN_PER_ADDRESS = 2_000
