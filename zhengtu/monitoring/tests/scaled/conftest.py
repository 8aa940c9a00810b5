"""The scaled shape against a real redis-server started for each test (skipped where it is not installed)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator

import pytest

from zhengtu.monitoring.tests.gateway.test_tcp import wait_for


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pings(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url).ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def redis_url(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A redis-server of this test's own (append-only file on, as in production), set as the
    monitoring Redis; small stream nodes so that approximate trimming shows on a few entries."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server): the scaled shape needs it")
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="zhengtu-redis-")
    process = subprocess.Popen(  # noqa: S603 - our own binary and arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", folder, "--appendonly", "yes", "--save", ""]
        + ["--stream-node-max-entries", "10"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        assert wait_for(lambda: _pings(url), timeout=10)
        settings.ZHENGTU_MONITORING_REDIS_URL = url
        settings.ZHENGTU_MONITORING_REDIS_SHARDS = 2
        yield url
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
