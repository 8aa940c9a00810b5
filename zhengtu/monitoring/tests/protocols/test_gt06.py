import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengtu.monitoring.protocols import gt06
from zhengtu.monitoring.protocols.base import Alarm, FrameError, MessageKind
from zhengtu.monitoring.protocols.simulate import gt06_alarm, gt06_heartbeat, gt06_location, gt06_login

WHEN = dt.datetime(2026, 3, 1, 2, 30, 15, tzinfo=dt.UTC)


def test_crc_itu_matches_the_published_login_example():
    # The login packet of the GT06 protocol description: 78 78 0D 01 01 23 45 67 89 01 23 45 00 01 8C DD 0D 0A
    frame = bytes.fromhex("78780D01012345678901234500018CDD0D0A")
    protocol, serial, decoded = gt06.decode(frame, identifier=None)
    assert (protocol, serial) == (0x01, 1)
    assert decoded.messages[0].identifier == "123456789012345"
    assert decoded.reply == bytes.fromhex("787805010001D9DC0D0A")


def test_login_with_time_zone_extension():
    _p, _s, decoded = gt06.decode(gt06_login("868120000000001", zone_minutes=8 * 60), identifier=None)
    assert decoded.messages[0].extra["offset_minutes"] == 480
    _p, _s, decoded = gt06.decode(gt06_login("868120000000001", zone_minutes=-330), identifier=None)
    assert decoded.messages[0].extra["offset_minutes"] == -330


def test_location_decodes_position_and_gmt_time():
    frame = gt06_location(WHEN, 27.908312, 110.593871, speed=20, course=181)
    protocol, _serial, decoded = gt06.decode(frame, identifier="868120000000001")
    assert protocol == 0x12
    assert decoded.reply is None  # GPS messages are not acknowledged
    fix = decoded.messages[0].fixes[0]
    assert fix.time == WHEN
    assert fix.latitude == pytest.approx(27.908312, abs=1e-5)
    assert fix.longitude == pytest.approx(110.593871, abs=1e-5)
    assert (fix.speed_kmh, fix.course, fix.valid, fix.satellites) == (20, 181, True, 8)


def test_device_time_zone_from_login_is_applied():
    local = WHEN.astimezone(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=dt.UTC)  # device clock in GMT+8
    _p, _s, decoded = gt06.decode(gt06_location(local, 27.9, 110.6), identifier="1", offset_minutes=480)
    assert decoded.messages[0].fixes[0].time == WHEN


def test_heartbeat_is_acknowledged_and_reports_battery():
    _p, _s, decoded = gt06.decode(gt06_heartbeat(serial=9, voltage_level=3), identifier="1")
    assert decoded.messages[0].kind == MessageKind.HEARTBEAT
    assert decoded.messages[0].battery_percent == 50
    assert decoded.reply == gt06.acknowledgement(0x13, 9)
    assert decoded.reply[:6] == bytes.fromhex("787805130009")


def test_alarm_message_sos_and_removal():
    _p, _s, decoded = gt06.decode(gt06_alarm(WHEN, 27.9, 110.6, alarm=0x01, serial=7), identifier="1")
    assert decoded.messages[0].alarms == {Alarm.SOS}
    assert decoded.reply == gt06.acknowledgement(0x16, 7)
    _p, _s, decoded = gt06.decode(gt06_alarm(WHEN, 27.9, 110.6, alarm=0x18), identifier="1")
    assert decoded.messages[0].alarms == {Alarm.TAMPER}


def test_message_before_login_is_refused():
    with pytest.raises(FrameError, match="before login"):
        gt06.decode(gt06_location(WHEN, 27.9, 110.6), identifier=None)


def test_wrong_crc_is_refused():
    frame = bytearray(gt06_location(WHEN, 27.9, 110.6))
    frame[8] ^= 0xFF
    with pytest.raises(FrameError, match="CRC"):
        gt06.decode(bytes(frame), identifier="1")


def test_extract_frames_resynchronises_after_garbage():
    good = gt06_location(WHEN, 27.9, 110.6)
    buffer = bytearray(b"\x78\x78\x05\x01\x02" + b"zz" + good)
    frames = gt06.extract_frames(buffer, 4096)
    assert good in frames
    assert any(isinstance(f, FrameError) for f in frames)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(data):
    for item in gt06.extract_frames(bytearray(data), 4096):
        if isinstance(item, bytes):
            try:
                gt06.decode(item, identifier="1")
            except FrameError as error:
                assert error.raw


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 100), st.integers(0, 255), st.booleans())
def test_mutated_frames_never_crash(position, value, truncate):
    frame = bytearray(gt06_alarm(WHEN, 27.9, 110.6, alarm=1))
    position %= len(frame)
    if truncate:
        del frame[position:]
    else:
        frame[position] = value
    for item in gt06.extract_frames(frame, 4096):
        if isinstance(item, bytes):
            with contextlib.suppress(FrameError):
                gt06.decode(item, identifier="1")
