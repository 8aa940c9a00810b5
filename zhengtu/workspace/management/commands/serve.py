"""Serve Zhengtu: the web application, plus (embedded shape) every companion in one process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import uvicorn
from django.core.management.base import BaseCommand

from zhengtu.core.aio import event_loop_factory
from zhengtu.workspace.registry import embedded_companions

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Serve the web application (and, in the embedded shape, the gateway and job consumer)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            runner.run(self.serve(host, port))

    async def serve(self, host: str, port: int) -> None:
        config = uvicorn.Config("zhengtu.asgi:application", host=host, port=port, lifespan="off", log_level="info")
        server = uvicorn.Server(config)
        stop = asyncio.Event()
        companions = [asyncio.create_task(companion(stop)) for companion in embedded_companions()]
        self.stdout.write(f"Zhengtu is serving on http://{host}:{port}/ with {len(companions)} companion(s).")
        try:
            await server.serve()
        finally:
            stop.set()
            for task in companions:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await asyncio.wait_for(task, timeout=10)
