"""Run the device gateway on its own (scaled shape, or to test devices against a site)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Any

from django.core.management.base import BaseCommand

from zhengtu.core.aio import event_loop_factory
from zhengtu.monitoring.gateway.embedded import serve_until
from zhengtu.monitoring.rules import rule


class Command(BaseCommand):
    help = "Listen for monitoring devices (JT/T 808, GT06, watch, OsmAnd) and store what they report."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=None, help="Address to listen on (default: the setting, 127.0.0.1).")

    def handle(self, *args: Any, host: str | None, **options: Any) -> None:
        ports = rule("PORTS")
        self.stdout.write(f"Monitoring gateway on {host or rule('LISTEN_HOST')}: {ports}")
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            runner.run(self._main(host))

    async def _main(self, host: str | None) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await serve_until(stop, host=host)
