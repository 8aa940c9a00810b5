"""The ingest writer of the scaled shape: consume the Redis stream the gateways append to."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from zhengtu.monitoring.ingest import consume_stream


class Command(BaseCommand):
    help = "Store and evaluate device reports queued in Redis by `run_gateway` (INGEST_TRANSPORT = redis)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--consumer", default="ingest-1")

    def handle(self, *args: Any, consumer: str, **options: Any) -> None:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        consume_stream(consumer=consumer, stop=stop)
