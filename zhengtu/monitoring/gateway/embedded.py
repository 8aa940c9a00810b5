"""The gateway as a companion of `manage.py serve` (embedded shape) and as `manage.py run_gateway`."""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from django.db import connection

from ..ingest import Ingestor, InProcessIngestor
from ..rules import rule
from ..writer_process import ProcessIngestor, shareable, tune_collector
from .servers import Gateway

logger = logging.getLogger("zhengtu.monitoring.gateway")


# The ingest writer thread shares the GIL with the gateway's event loop. Each time it returns
# from the database it must take the GIL back, and with the default 5 ms switch interval a busy
# event loop makes it wait that long every time (a convoy), and the event loop waits as long
# behind the writer after every send and receive. 1 ms keeps both moving; shorter intervals
# (0.2 ms was tried) cost more CPU in GIL hand-overs than they save in waiting (about 15 % more
# CPU per fix in the benchmark, for no better latency).
SWITCH_INTERVAL_SECONDS = 0.001


def tune_interpreter() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    tune_collector()


def make_ingestor() -> Ingestor:
    transport = rule("INGEST_TRANSPORT")
    if transport == "redis":
        from ..streams import RedisStreamIngestor  # the scaled shape only

        return RedisStreamIngestor()
    if transport == "process":
        if (os.cpu_count() or 1) > 1 and shareable(connection.settings_dict):
            return ProcessIngestor()
        logger.info("Ingest writer in this process (one core, or a database only this process can open)")
    return InProcessIngestor()


async def serve_until(stop: asyncio.Event, *, host: str | None = None, ports: dict[str, int] | None = None) -> None:
    tune_interpreter()
    ingestor = make_ingestor()
    await ingestor.start()
    gateway = Gateway(ingestor, host=host, ports=ports)
    try:
        await gateway.start()
        await stop.wait()
    finally:
        await gateway.stop()
        await ingestor.stop()


async def run(stop: asyncio.Event) -> None:
    """Embedded companion: a failing gateway (e.g. a port in use) is logged, never fatal to the web server."""
    try:
        await serve_until(stop)
    except OSError:
        logger.exception("The monitoring gateway could not start; the web application keeps running.")
