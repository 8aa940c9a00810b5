"""Through real sockets and the writer process, positions decoded straight into the hand-off
records (gateway/packed.py) are stored and answered as before, for GT06, the watch protocol and
OsmAnd (JT/T 808: test_writer_process.py)."""

from __future__ import annotations

import datetime as dt
import http.client
import sqlite3
from contextlib import closing

from django.db import connection
from django.utils import timezone

from zhengtu.monitoring.models import DeviceKind, Protocol
from zhengtu.monitoring.protocols import gt06, simulate
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import RunningGateway, receive
from zhengtu.monitoring.tests.gateway.test_writer_process import WriterDatabase
from zhengtu.monitoring.writer_process import ProcessIngestor

POSITIONS = "SELECT COUNT(*), MIN(latitude), MAX(longitude) FROM monitoring_position WHERE device_id = ?"


def test_gt06_watch_and_osmand_positions_are_stored_and_answered_through_the_writer_process(
    world, transactional_db, tmp_path
):
    gt06_device = make_monitored(world, identifier="868120000000001", protocol=Protocol.GT06).wristband
    watch_device = make_monitored(world, identifier="8800000015", protocol=Protocol.WATCH).wristband
    phone = make_monitored(world, identifier="phone-42", protocol=Protocol.OSMAND, kind=DeviceKind.PHONE).wristband
    database = WriterDatabase(tmp_path)
    running = RunningGateway(ProcessIngestor(database.settings))
    running.start()
    try:
        assert running.gateway.takes_packed
        when = (timezone.now() - dt.timedelta(seconds=90)).replace(microsecond=0)
        with running.connect("gt06") as sock:
            sock.sendall(simulate.gt06_login("868120000000001", serial=1))
            assert receive(sock, 10) == gt06.acknowledgement(0x01, 1)
            # The GPS frame is not answered; the heartbeat after it is, once both are stored.
            sock.sendall(simulate.gt06_location(when, *HOME, serial=2) + simulate.gt06_heartbeat(serial=3))
            assert receive(sock, 10) == gt06.acknowledgement(0x13, 3)
        with running.connect("watch") as sock:
            sock.sendall(simulate.watch_position("8800000015", when, *HOME))
            sock.sendall(simulate.watch_position("8800000015", when + dt.timedelta(seconds=30), *HOME, keyword="AL"))
            assert receive(sock, 23) == b"[SG*8800000015*0002*AL]"
        client = http.client.HTTPConnection("127.0.0.1", running.gateway.bound["osmand"], timeout=30)
        client.request("GET", simulate.osmand_query("phone-42", when, *HOME, batt=77))
        response = client.getresponse()
        response.read()
        assert response.status == 200
        client.request("GET", simulate.osmand_query("unknown-phone", when, *HOME))
        response = client.getresponse()
        response.read()
        assert response.status == 400  # not registered: refused, as before
        client.close()
        home = (round(HOME[0], 6), round(HOME[1], 6))
        assert _positions(database, gt06_device.pk) == (1, *home)
        assert _positions(database, watch_device.pk) == (2, *home)
        assert _positions(database, phone.pk) == (1, *home)
    finally:
        running.stop()


def _positions(database: WriterDatabase, device_id: int) -> tuple[int, float, float]:
    if database.path is not None:
        with closing(sqlite3.connect(database.path)) as db:
            count, latitude, longitude = db.execute(POSITIONS, [device_id]).fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(POSITIONS.replace("?", "%s"), [device_id])
            count, latitude, longitude = cursor.fetchone()
    return count, round(latitude, 6), round(longitude, 6)
