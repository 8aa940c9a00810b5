"""The scaled shape: gateway → Redis stream → `run_ingest` writer (skipped where redis-server is absent)."""

import shutil
import socket
import subprocess
import tempfile
import threading
import time

import pytest

from zhengtu.monitoring.gateway.servers import Gateway
from zhengtu.monitoring.ingest import RedisStreamIngestor, consume_stream
from zhengtu.monitoring.models import Position
from zhengtu.monitoring.protocols.simulate import watch_link, watch_position
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import RunningGateway, receive
from zhengtu.monitoring.tests.gateway.test_tcp import recent, wait_for


@pytest.fixture
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="zhengtu-redis-")
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", folder, "--appendonly", "yes", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    assert wait_for(lambda: _pings(redis, url), timeout=10)
    yield url
    process.terminate()
    process.wait(10)
    shutil.rmtree(folder, ignore_errors=True)


def _pings(redis, url) -> bool:  # type: ignore[no-untyped-def]
    try:
        return bool(redis.Redis.from_url(url).ping())
    except redis.ConnectionError:
        return False


def test_reports_flow_through_the_stream(transactional_db, world, redis_url, settings):
    settings.ZHENGTU_MONITORING_REDIS_URL = redis_url
    monitored = make_monitored(world, identifier="8800000015", protocol="watch")
    running = RunningGateway()
    running.ingestor = RedisStreamIngestor(redis_url)  # type: ignore[assignment]
    running.gateway = Gateway(running.ingestor, host="127.0.0.1", ports={"watch": 0})
    running.start()
    stop = threading.Event()
    writer = threading.Thread(target=consume_stream, kwargs={"url": redis_url, "stop": stop}, daemon=True)
    writer.start()
    try:
        with running.connect("watch") as sock:
            sock.sendall(watch_link("8800000015"))
            # Acknowledged once Redis holds the report.
            assert receive(sock, 23) == b"[SG*8800000015*0002*LK]"
            sock.sendall(watch_position("8800000015", recent(), *HOME))
        assert wait_for(lambda: Position.objects.filter(device=monitored.wristband).exists(), timeout=10)
    finally:
        stop.set()
        writer.join(5)
        running.stop()
        time.sleep(0.1)
