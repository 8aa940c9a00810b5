"""The embedded shape's writer in a child process: a fix is stored there before the device's
reply, its alert reaches this process's live page, page changes reach the child, and a writer
that dies is replaced."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from zhengtu.monitoring import directory
from zhengtu.monitoring.live import bus
from zhengtu.monitoring.protocols import jt808
from zhengtu.monitoring.protocols.simulate import jt808_auth, jt808_location, jt808_register
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import RunningGateway, receive_jt808
from zhengtu.monitoring.writer_process import ProcessIngestor, WriterProcessError

IDENTIFIER = "013912345678"


class WriterDatabase:
    """The test database as a second process can open it: PostgreSQL's test database itself; for
    SQLite (in memory in the suite) a file copy of it, taken once the test's rows are written."""

    def __init__(self, folder: Path) -> None:
        self.path: Path | None = None
        self.settings: dict[str, Any] = dict(connection.settings_dict)
        if connection.vendor == "sqlite":
            self.path = folder / "writer.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(self.path)) as copy:
                connection.connection.backup(copy)
            self.settings["NAME"] = str(self.path)

    def scalar(self, sql: str, params: list[Any]) -> Any:
        if self.path is not None:
            with closing(sqlite3.connect(self.path)) as db:
                return db.execute(sql, params).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchone()[0]

    def execute(self, sql: str, params: list[Any]) -> None:
        if self.path is not None:
            with closing(sqlite3.connect(self.path)) as db, db:
                db.execute(sql, params)
            return
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)


@pytest.fixture
def writer_gateway(world, transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    monitored = make_monitored(world, identifier=IDENTIFIER)
    database = WriterDatabase(tmp_path)
    running = RunningGateway(ProcessIngestor(database.settings))
    running.start()
    yield running, database, monitored
    running.stop()


def _authenticate(sock, code: str, serial: int = 1) -> int:  # type: ignore[no-untyped-def]
    sock.sendall(jt808_auth(IDENTIFIER, code, serial=serial))
    _header, body = receive_jt808(sock)
    return body[-1]


def test_the_fix_is_stored_by_the_writer_process_before_the_reply_and_its_alert_reaches_this_process(
    writer_gateway,
):
    running, database, monitored = writer_gateway
    assert running.ingestor.pid not in (None, os.getpid())

    async def subscribe() -> asyncio.Queue[dict[str, Any]]:
        return bus.open()

    events = running.run(subscribe())
    when = (timezone.now() - dt.timedelta(seconds=30)).replace(microsecond=0)
    with running.connect("jt808") as sock:
        assert _authenticate(sock, monitored.wristband.auth_code) == jt808.RESULT_OK
        sock.sendall(jt808_location(IDENTIFIER, when, *HOME, serial=2, alarm_bits=1))
        header, body = receive_jt808(sock)
        assert (header.message_id, body) == (0x8001, bytes.fromhex("0002020000"))
        # Replied, so already stored: read straight from the database the child wrote.
        stored = database.scalar(
            "SELECT COUNT(*) FROM monitoring_position WHERE supervisee_id = ?", [monitored.supervisee.pk]
        )
        assert stored == 1
        assert (
            database.scalar("SELECT kind FROM monitoring_alert WHERE supervisee_id = ?", [monitored.supervisee.pk])
            == "sos"
        )

    async def next_alert() -> dict[str, Any]:
        while True:
            event = await asyncio.wait_for(events.get(), 60)
            if event.get("type") == "alert":
                return event

    alert = running.run(next_alert(), timeout=90)
    assert alert["kind"] == "sos" and alert["supervisee_id"] == monitored.supervisee.pk
    bus.close(events)


def test_a_device_switched_off_on_a_page_is_refused_by_the_writer_at_once(writer_gateway):
    running, database, monitored = writer_gateway
    with running.connect("jt808") as sock:
        sock.sendall(jt808_register(IDENTIFIER, serial=1))
        _header, body = receive_jt808(sock)
        assert body[2:] == b"\x00" + monitored.wristband.auth_code.encode()
        database.execute("UPDATE monitoring_device SET is_active = ? WHERE identifier = ?", [False, IDENTIFIER])
        directory.invalidate()  # what the device service does on commit, in the web process
        sock.sendall(jt808_register(IDENTIFIER, serial=2))
        _header, body = receive_jt808(sock)
        assert body[2] == jt808.REGISTER_UNKNOWN_TERMINAL


def test_a_writer_that_dies_fails_nothing_silently_and_is_replaced(writer_gateway):
    running, database, monitored = writer_gateway
    first = running.ingestor.pid
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while not running.ingestor._broken and time.monotonic() < deadline:
        time.sleep(0.05)
    with running.connect("jt808") as sock:
        sock.settimeout(90)
        assert _authenticate(sock, monitored.wristband.auth_code) == jt808.RESULT_OK
    assert running.ingestor.pid not in (None, first)


def test_an_in_memory_database_is_refused_with_a_clear_message():
    ingestor = ProcessIngestor({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    with pytest.raises(WriterProcessError, match="in-memory SQLite"):
        asyncio.run(ingestor.start())


def test_a_fix_in_flight_when_the_writer_is_killed_is_not_acknowledged_and_its_resends_are_stored_once(
    writer_gateway,
):
    """kill -9 of the writer while it holds a device's fix: the device gets no answer (its
    connection closes), sends the fix again on a new connection, and again after that (as if the
    answer had been lost): one position, one SOS alert."""
    running, database, monitored = writer_gateway
    first = running.ingestor.pid
    when = (timezone.now() - dt.timedelta(seconds=30)).replace(microsecond=0)
    frame = jt808_location(IDENTIFIER, when, *HOME, serial=2, alarm_bits=1)
    with running.connect("jt808") as sock:
        sock.settimeout(90)
        assert _authenticate(sock, monitored.wristband.auth_code) == jt808.RESULT_OK
        os.kill(first, signal.SIGSTOP)  # the writer holds the fix and cannot store it
        try:
            sock.sendall(frame)
            time.sleep(0.5)  # the frame reaches the gateway and its writer pipe
        finally:
            os.kill(first, signal.SIGKILL)
        try:
            answer = sock.recv(1024)
        except ConnectionResetError:
            answer = b""
        assert answer == b""  # closed unanswered: nothing acknowledged
    for serial in (3, 4):  # the resend, then a resend of the resend
        with running.connect("jt808") as sock:
            sock.settimeout(90)
            assert _authenticate(sock, monitored.wristband.auth_code, serial=serial * 10) == jt808.RESULT_OK
            sock.sendall(frame)
            header, body = receive_jt808(sock)
            assert (header.message_id, body[-1]) == (0x8001, jt808.RESULT_OK)
    person = monitored.supervisee.pk
    assert database.scalar("SELECT COUNT(*) FROM monitoring_position WHERE supervisee_id = ?", [person]) == 1
    assert (
        database.scalar("SELECT COUNT(*) FROM monitoring_alert WHERE supervisee_id = ? AND kind = 'sos'", [person]) == 1
    )
    assert running.ingestor.pid not in (None, first)


def test_the_minute_job_hands_the_offline_storm_to_the_writer_process_which_raises_it(writer_gateway):
    """Embedded shape: offline alerts are raised by the writer process between its batches (one
    writer for SQLite), not by the job in the web process; their live event reaches this process."""
    from zhengtu.monitoring.models import Alert
    from zhengtu.monitoring.writer_process import hand_to_writer

    running, database, monitored = writer_gateway
    long_ago = timezone.now() - dt.timedelta(hours=2)
    database.execute(
        "UPDATE monitoring_devicebinding SET starts_at = ? WHERE device_id = ?",
        [long_ago.strftime("%Y-%m-%d %H:%M:%S") if database.path else long_ago, monitored.wristband.pk],
    )

    async def subscribe() -> asyncio.Queue[dict[str, Any]]:
        return bus.open()

    events = running.run(subscribe())
    assert hand_to_writer("offline")

    async def next_alert() -> dict[str, Any]:
        while True:
            event = await asyncio.wait_for(events.get(), 60)
            if event.get("type") == "alert":
                return event

    alert = running.run(next_alert(), timeout=90)
    bus.close(events)
    assert alert["kind"] == "offline" and alert["supervisee_id"] == monitored.supervisee.pk
    assert (
        database.scalar(
            "SELECT COUNT(*) FROM monitoring_alert WHERE kind = 'offline' AND supervisee_id = ?",
            [monitored.supervisee.pk],
        )
        == 1
    )
    if database.path is not None:  # SQLite: the writer's file, not the suite's database, has it
        assert not Alert.objects.filter(kind="offline").exists()


def test_without_a_writer_process_the_job_raises_offline_alerts_itself():
    from zhengtu.monitoring.writer_process import hand_to_writer

    assert hand_to_writer("offline") is False


def test_reports_and_outcomes_cross_to_the_writer_process_unchanged():
    from zhengtu.monitoring.processing import Outcome, Report
    from zhengtu.monitoring.protocols.base import Alarm, DeviceMessage, Fix, MessageKind
    from zhengtu.monitoring.writer_process import pack_outcomes, pack_reports, unpack_outcomes, unpack_reports

    when = dt.datetime(2026, 3, 1, 8, 30, 5, 123_457, tzinfo=dt.UTC)
    reports = [
        Report(
            "jt808",
            DeviceMessage(
                IDENTIFIER,
                MessageKind.LOCATION,
                [Fix(when, 27.9083, 110.5939, True, 3.5, 90.0, 120.0, 8, None)],
                {Alarm.SOS, Alarm.TAMPER},
                41,
                True,
                {"auth_code": "x"},
            ),
            when,
            12.5,
            "10.0.0.1:5000",
            False,
        ),
        Report("osmand", DeviceMessage("app-1", MessageKind.HEARTBEAT), when),
    ]
    assert unpack_reports(pack_reports(reports)) == reports
    outcomes = [
        Outcome(known=True, auth_code="a", stored=2, rejected=1, refused=True, authenticated=True, registration=3)
    ]
    assert unpack_outcomes(pack_outcomes(outcomes)) == outcomes


def test_the_packed_hand_off_round_trips_every_field_of_every_kind_of_report():
    """Packed bytes, not pickled objects: None and zero values, several fixes with their
    microseconds, every alarm and kind, an unknown protocol name and extra details all come back."""
    from zhengtu.monitoring.handoff import pack_outcomes, pack_reports, unpack_outcomes, unpack_reports
    from zhengtu.monitoring.processing import Outcome, Report
    from zhengtu.monitoring.protocols.base import Alarm, DeviceMessage, Fix, MessageKind

    when = dt.datetime(2026, 3, 1, 8, 30, 5, 999_999, tzinfo=dt.UTC)
    fixes = [
        Fix(when, -33.865143, -151.2099, False, 0.0, 359.9, -12.5, None, 7.25),
        Fix(when + dt.timedelta(microseconds=1), 0.0, 0.0, True, 250.5, 0.0, 0.0, 0, None),
    ]
    reports = [
        Report(
            protocol,
            DeviceMessage(
                f"设备-{index}", kind, fixes if index % 2 else [], set(Alarm) if index == 1 else set(), battery
            ),
            when - dt.timedelta(days=index),
            1000.125 + index,
            f"[::1]:{index}",
            index % 3 != 0,
        )
        for index, (protocol, kind, battery) in enumerate(
            [
                ("jt808", MessageKind.LOCATION, 0),
                ("gt06", MessageKind.LOCATION, 100),
                ("watch", MessageKind.HEARTBEAT, None),
                ("osmand", MessageKind.LOGIN, 55),
                ("a-new-protocol", MessageKind.REGISTER, None),
            ]
        )
    ]
    reports[3].message.extra = {"secret_hash": "ab" * 32}
    reports[1].message.carries_status = True
    assert unpack_reports(pack_reports(reports)) == reports
    assert unpack_reports(pack_reports([])) == []
    outcomes = [
        Outcome(known=True, stored=1),
        Outcome(known=False),
        Outcome(known=True, auth_code="码", registration=0),
    ]
    assert unpack_outcomes(pack_outcomes(outcomes)) == outcomes
    assert unpack_outcomes(pack_outcomes(outcomes * 2)) == outcomes * 2


def test_a_device_change_named_by_id_reaches_the_writer_child(writer_gateway):
    """The child re-reads the one device named, not its whole directory, and refuses it at once."""
    running, database, monitored = writer_gateway
    with running.connect("jt808") as sock:
        sock.sendall(jt808_register(IDENTIFIER, serial=1))
        receive_jt808(sock)
        database.execute("UPDATE monitoring_device SET is_active = ? WHERE identifier = ?", [False, IDENTIFIER])
        directory.changed(devices=[monitored.wristband.pk])  # what the device's post_save does on commit
        sock.sendall(jt808_register(IDENTIFIER, serial=2))
        _header, body = receive_jt808(sock)
        assert body[2] == jt808.REGISTER_UNKNOWN_TERMINAL
