"""The background job consumer (Huey) as a companion of the embedded web process.

In the scaled shape the same tasks run in separate `manage.py run_huey` workers on Redis.
"""

from __future__ import annotations

import asyncio
import logging

from huey.consumer import Consumer

logger = logging.getLogger(__name__)


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer that leaves signal handling to the host process (uvicorn)."""

    def _set_signal_handlers(self) -> None:
        return None


async def run_embedded_consumer(stop: asyncio.Event) -> None:
    from huey.contrib.djhuey import HUEY

    consumer = EmbeddedConsumer(HUEY, workers=2, worker_type="thread", periodic=True)
    await asyncio.to_thread(consumer.start)
    logger.info("Background job consumer started in-process.")
    try:
        await stop.wait()
    finally:
        await asyncio.to_thread(consumer.stop, True)
