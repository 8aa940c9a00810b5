"""An ingest writer of the scaled shape: consume the Redis shard streams the gateways append to."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengtu.monitoring.rules import rule
from zhengtu.monitoring.stream_writer import consume_stream
from zhengtu.monitoring.streams import ShardLayoutError, writer_shards


class Command(BaseCommand):
    help = (
        "Store and evaluate device reports queued in Redis by `run_gateway` (INGEST_TRANSPORT = redis). "
        "Writer N of ZHENGTU_MONITORING_INGEST_WRITERS reads the shards s % INGEST_WRITERS == N while every "
        "writer runs, takes over the shards of a writer that stopped, and gives them back when it returns."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--writer",
            type=int,
            default=int(os.environ.get("ZHENGTU_INGEST_WRITER", "0")),
            help="This writer's number, 0 to INGEST_WRITERS - 1 (default: $ZHENGTU_INGEST_WRITER or 0).",
        )
        parser.add_argument("--consumer", default="", help="Name in the consumer group (default: writer-N).")

    def handle(self, *args: Any, writer: int, consumer: str, **options: Any) -> None:
        writers = int(rule("INGEST_WRITERS"))
        try:
            shards = writer_shards(writer, writers)
        except ValueError as error:
            raise CommandError(f"--writer must be between 0 and {writers - 1} (INGEST_WRITERS = {writers})") from error
        if not shards:
            raise CommandError(f"Writer {writer} owns no shard: INGEST_WRITERS exceeds REDIS_SHARDS.")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        self.stdout.write(
            f"Ingest writer {writer} of {writers}: shards {shards} (and those of writers that are not running)",
            ending="\n",
        )
        self.stdout.flush()
        try:
            consume_stream(consumer=consumer or f"writer-{writer}", stop=stop, index=writer)
        except ShardLayoutError as error:
            raise CommandError(str(error)) from error
