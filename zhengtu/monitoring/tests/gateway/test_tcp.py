"""Real frames over real TCP sockets to the real gateway; decoded, stored, then answered."""

import datetime as dt
import logging
import time

import pytest
from django.utils import timezone

from zhengtu.monitoring.models import Alert, AlertKind, DeviceState, Position, Protocol, UnknownDevice
from zhengtu.monitoring.protocols import gt06, jt808
from zhengtu.monitoring.protocols.simulate import (
    gt06_alarm,
    gt06_heartbeat,
    gt06_location,
    gt06_login,
    jt808_auth,
    jt808_batch,
    jt808_heartbeat,
    jt808_location,
    jt808_location_body,
    jt808_register,
    watch_link,
    watch_position,
)
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import authenticate_jt808, receive, receive_jt808, receive_nothing


def recent(seconds: int = 30) -> dt.datetime:
    return (timezone.now() - dt.timedelta(seconds=seconds)).replace(microsecond=0)


def wait_for(predicate, timeout: float = 5.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return predicate()


def test_jt808_register_auth_location_and_replies(world, gateway):
    monitored = make_monitored(world, identifier="13912345678")
    auth_code = monitored.wristband.auth_code
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_register("13912345678", serial=1))
        header, body = receive_jt808(sock)
        assert header.message_id == jt808.MSG_REGISTER_REPLY
        assert body == (1).to_bytes(2, "big") + b"\x00" + auth_code.encode()

        sock.sendall(jt808_auth("13912345678", auth_code, serial=2))
        header, body = receive_jt808(sock)
        assert (header.message_id, body) == (0x8001, bytes.fromhex("0002010200"))

        when = recent()
        sock.sendall(jt808_location("13912345678", when, *HOME, serial=3, alarm_bits=1, satellites=8))
        header, body = receive_jt808(sock)
        assert (header.message_id, body) == (0x8001, bytes.fromhex("0003020000"))
    # The reply came after the fix was stored.
    position = Position.objects.get()
    assert position.fix_time == when
    assert (position.latitude, position.longitude) == (pytest.approx(HOME[0]), pytest.approx(HOME[1]))
    assert position.satellites == 8 and position.supervisee_id == monitored.supervisee.pk
    assert Alert.objects.filter(kind=AlertKind.SOS, supervisee=monitored.supervisee).exists()


def test_jt808_wrong_auth_code_is_refused(world, gateway):
    make_monitored(world, identifier="13912345678")
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_auth("13912345678", "not-the-code"))
        _header, body = receive_jt808(sock)
        assert body[-1] == jt808.RESULT_FAILED


def test_bad_frames_are_logged_and_the_connection_carries_on(world, gateway, caplog):
    monitored = make_monitored(world, identifier="13912345678")
    good = jt808_location("13912345678", recent(), *HOME, serial=9)
    # A wrong checksum, escaped as a device would send it: the frame holds the clock's time, so its
    # checksum (or the wrong one) may itself be 0x7e or 0x7d and flipping the sent byte could break the framing.
    content = jt808.unescape(jt808_location("13912345678", recent(20), *HOME, serial=8)[1:-1])
    broken = b"\x7e" + jt808.escape(content[:-1] + bytes([content[-1] ^ 0xFF])) + b"\x7e"
    caplog.set_level(logging.WARNING, logger="zhengtu.monitoring.gateway")
    with gateway.connect("jt808") as sock:
        authenticate_jt808(sock, "13912345678", monitored.wristband.auth_code)
        # Garbage, a wrong-checksum frame and a good one, split across writes at odd places.
        payload = b"\x00\x01garbage" + bytes(broken) + good
        sock.sendall(payload[:17])
        time.sleep(0.05)
        sock.sendall(payload[17:])
        header, body = receive_jt808(sock)
        assert body[:2] == (9).to_bytes(2, "big")
    assert Position.objects.count() == 1
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "checksum mismatch" in logged and bytes(broken).hex() in logged
    assert "676172626167" in logged  # the raw bytes of "garbage"


def test_jt808_2019_batch_is_stored_whole(world, gateway):
    monitored = make_monitored(world, identifier="13912345678")
    bodies = [jt808_location_body(recent(120 - 30 * i), HOME[0] + i * 0.0001, HOME[1]) for i in range(3)]
    with gateway.connect("jt808") as sock:
        authenticate_jt808(sock, "13912345678", monitored.wristband.auth_code)
        sock.sendall(jt808_batch("13912345678", bodies, serial=5))
        assert receive_jt808(sock)
        sock.sendall(jt808_location("13912345678", recent(), *HOME, version_2019=True, serial=6))
        header, _body = receive_jt808(sock)
        assert header.version == 1
    assert Position.objects.filter(supervisee=monitored.supervisee).count() == 4


def test_unknown_device_gets_no_acknowledgement_and_is_recorded(world, gateway):
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_heartbeat("13800000000"))
        assert receive_nothing(sock) == b""
        sock.sendall(jt808_register("13800000000"))
        _header, body = receive_jt808(sock)
        assert body[2] == jt808.REGISTER_UNKNOWN_TERMINAL
    unknown = UnknownDevice.objects.get(identifier="013800000000")
    assert unknown.protocol == Protocol.JT808 and unknown.frames == 2


def test_gt06_login_location_heartbeat_alarm(world, gateway):
    monitored = make_monitored(world, identifier="868120000000001", protocol=Protocol.GT06)
    when = recent()
    with gateway.connect("gt06") as sock:
        sock.sendall(gt06_login("868120000000001", serial=1))
        assert receive(sock, 10) == gt06.acknowledgement(0x01, 1)
        sock.sendall(gt06_location(when, *HOME, serial=2) + gt06_heartbeat(serial=3, voltage_level=1))
        assert receive(sock, 10) == gt06.acknowledgement(0x13, 3)  # GPS is not answered, the heartbeat is
        sock.sendall(gt06_alarm(when + dt.timedelta(seconds=5), *HOME, alarm=0x18, serial=4))
        assert receive(sock, 10) == gt06.acknowledgement(0x16, 4)
    position = Position.objects.filter(device=monitored.wristband).order_by("fix_time").first()
    assert position.fix_time == when  # GMT device time
    assert DeviceState.objects.get(device=monitored.wristband).battery_percent == 66
    kinds = set(Alert.objects.values_list("kind", flat=True))
    assert {AlertKind.TAMPER, AlertKind.LOW_BATTERY} <= kinds


def test_watch_link_position_alarm(world, gateway):
    monitored = make_monitored(world, identifier="8800000015", protocol=Protocol.WATCH)
    with gateway.connect("watch") as sock:
        sock.sendall(watch_link("8800000015"))
        assert receive(sock, 23) == b"[SG*8800000015*0002*LK]"
        sock.sendall(watch_position("8800000015", recent(60), *HOME))
        sock.sendall(watch_position("8800000015", recent(30), *HOME, keyword="AL", status=1 << 16))
        assert receive(sock, 23) == b"[SG*8800000015*0002*AL]"
    assert Position.objects.filter(device=monitored.wristband).count() == 2
    assert Alert.objects.filter(kind=AlertKind.SOS).count() == 1


def test_osmand_get_and_json_post(world, gateway):
    import http.client

    from zhengtu.monitoring.protocols.simulate import osmand_json, osmand_query

    monitored = make_monitored(world, identifier="phone-42", protocol=Protocol.OSMAND, kind="phone")
    client = http.client.HTTPConnection("127.0.0.1", gateway.gateway.bound["osmand"], timeout=10)
    client.request("GET", osmand_query("phone-42", recent(60), *HOME, batt=77))
    response = client.getresponse()
    response.read()
    assert response.status == 200
    client.request(
        "POST",
        "/",
        body=osmand_json("phone-42", recent(30), HOME[0] + 0.0002, HOME[1]),
        headers={"Content-Type": "application/json"},
    )
    response = client.getresponse()
    response.read()
    assert response.status == 200
    client.request("GET", osmand_query("unknown-phone", recent(), *HOME))
    response = client.getresponse()
    response.read()
    assert response.status == 400
    client.request("GET", "/?id=phone-42&lat=north&lon=1")
    response = client.getresponse()
    response.read()
    assert response.status == 400
    client.close()
    assert Position.objects.filter(device=monitored.wristband).count() == 2
    assert DeviceState.objects.get(device=monitored.wristband).battery_percent == 80
    assert wait_for(lambda: UnknownDevice.objects.filter(identifier="unknown-phone").exists())
