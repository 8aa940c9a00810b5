"""The gateway as a companion of `manage.py serve` (embedded shape)."""

import asyncio
import logging
import socket

from django.apps import apps
from django.test import override_settings

from zhengtu.monitoring.gateway import embedded
from zhengtu.workspace.registry import embedded_companions


def test_declared_as_an_embedded_companion(settings):
    settings.ZHENGTU_EMBEDDED = True
    assert embedded.run in embedded_companions()
    assert "zhengtu.monitoring.gateway.embedded:run" in apps.get_app_config("monitoring").embedded_companions


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_starts_listens_and_stops(transactional_db):
    port = _free_port()

    async def scenario() -> bool:
        stop = asyncio.Event()
        task = asyncio.create_task(embedded.run(stop))
        for _ in range(1200):  # up to a minute: starting the writer is slow on a busy machine
            await asyncio.sleep(0.05)
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                continue
            writer.close()
            stop.set()
            await asyncio.wait_for(task, 60)
            return True
        stop.set()
        await task
        return False

    with override_settings(ZHENGTU_MONITORING_PORTS={"watch": port}):
        assert asyncio.run(scenario())


def test_a_port_in_use_is_logged_not_fatal(transactional_db, caplog):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        caplog.set_level(logging.ERROR, logger="zhengtu.monitoring.gateway")
        with override_settings(ZHENGTU_MONITORING_PORTS={"gt06": port}):
            asyncio.run(asyncio.wait_for(embedded.run(asyncio.Event()), 10))
    assert "could not start" in caplog.text
