import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengtu.monitoring.protocols import jt808
from zhengtu.monitoring.protocols.base import Alarm, FrameError, MessageKind
from zhengtu.monitoring.protocols.simulate import jt808_batch, jt808_location, jt808_location_body

WHEN = dt.datetime(2026, 3, 1, 2, 30, 15, tzinfo=dt.UTC)  # 10:30:15 in Beijing


def test_location_frame_decodes_position_time_and_alarms():
    frame = jt808_location(
        "13912345678", WHEN, 27.908312, 110.593871, alarm_bits=0b1 | 1 << 7, speed_kmh=12.5, course=90, satellites=9
    )
    header, decoded = jt808.decode(frame)
    assert header.identifier == "013912345678"
    assert header.version is None
    (message,) = decoded.messages
    assert message.kind == MessageKind.LOCATION
    (fix,) = message.fixes
    assert fix.time == WHEN
    assert fix.latitude == pytest.approx(27.908312)
    assert fix.longitude == pytest.approx(110.593871)
    assert fix.speed_kmh == pytest.approx(12.5)
    assert fix.course == 90
    assert fix.satellites == 9
    assert fix.valid
    assert message.alarms == {Alarm.SOS, Alarm.LOW_BATTERY}


def test_time_in_frame_is_beijing_time():
    frame = jt808_location("13912345678", WHEN, 27.9, 110.6)
    # BCD time sits at header(12)+flag(1)+28-6 … read it back from the raw body.
    _header, body = jt808.parse_header(jt808.unescape(frame[1:-1])[:-1])
    assert body[22:28] == bytes.fromhex("260301103015")


def test_2019_header_is_understood_and_mirrored_in_the_reply():
    frame = jt808_location("13912345678", WHEN, 27.9, 110.6, version_2019=True, serial=77)
    header, decoded = jt808.decode(frame)
    assert header.version == 1
    assert header.identifier == "013912345678"
    reply = jt808.platform_reply(header, serial=5)
    reply_header, _ = jt808.parse_header(jt808.unescape(reply[1:-1])[:-1])
    assert reply_header.message_id == 0x8001
    assert reply_header.version == 1
    assert reply_header.phone_bcd == header.phone_bcd


def test_platform_reply_bytes():
    frame = jt808_location("13912345678", WHEN, 27.9, 110.6, serial=0x0102)
    header, _ = jt808.decode(frame)
    reply = jt808.platform_reply(header, serial=1)
    # 8001 | length 5 | phone 013912345678 | serial 0001 | body: 0102 0200 00 | checksum
    payload = bytes.fromhex("8001000501391234567800010102020000")
    assert reply == b"\x7e" + payload + bytes([jt808.xor_checksum(payload)]) + b"\x7e"


def test_escaping_round_trip():
    data = bytes([0x30, 0x7E, 0x08, 0x7D, 0x55])
    assert jt808.escape(data) == bytes([0x30, 0x7D, 0x02, 0x08, 0x7D, 0x01, 0x55])
    assert jt808.unescape(jt808.escape(data)) == data


def test_frame_with_escaped_bytes_decodes():
    # latitude chosen so that its bytes contain 0x7E.
    frame = jt808_location("13912345678", WHEN, 0x017E7E7E / 1e6, 110.6)
    assert b"\x7d\x02" in frame
    _header, decoded = jt808.decode(frame)
    assert decoded.messages[0].fixes[0].latitude == pytest.approx(0x017E7E7E / 1e6)


def test_wrong_checksum_is_refused():
    frame = bytearray(jt808_location("13912345678", WHEN, 27.9, 110.6))
    frame[-2] ^= 0x01
    with pytest.raises(FrameError, match="checksum"):
        jt808.decode(bytes(frame))


def test_batch_carries_every_fix():
    bodies = [jt808_location_body(WHEN + dt.timedelta(seconds=30 * i), 27.9 + i / 1000, 110.6) for i in range(3)]
    _header, decoded = jt808.decode(jt808_batch("13912345678", bodies))
    assert [round(f.latitude, 3) for f in decoded.messages[0].fixes] == [27.9, 27.901, 27.902]


def test_south_and_west_flags():
    _header, decoded = jt808.decode(jt808_location("13912345678", WHEN, -33.5, -70.25))
    fix = decoded.messages[0].fixes[0]
    assert (fix.latitude, fix.longitude) == (pytest.approx(-33.5), pytest.approx(-70.25))


def test_extract_frames_splits_sticky_and_partial_frames():
    one = jt808_location("13912345678", WHEN, 27.9, 110.6, serial=1)
    two = jt808_location("13912345678", WHEN, 27.9, 110.6, serial=2)
    buffer = bytearray(b"junk" + one + two[:10])
    frames = jt808.extract_frames(buffer, 4096)
    assert isinstance(frames[0], FrameError) and frames[0].raw == b"junk"
    assert frames[1:] == [one]
    buffer += two[10:]
    assert jt808.extract_frames(buffer, 4096) == [two]
    assert buffer == b""


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_the_decoder(data):
    buffer = bytearray(data)
    for item in jt808.extract_frames(buffer, 4096):
        if isinstance(item, bytes):
            try:
                jt808.decode(item)
            except FrameError as error:
                assert error.raw


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=255), st.integers(0, 3))
def test_mutated_frames_are_decoded_or_refused(position, value, mode):
    frame = bytearray(jt808_location("13912345678", WHEN, 27.9, 110.6, satellites=7))
    position %= len(frame)
    if mode == 0:
        frame[position] = value
    elif mode == 1:
        del frame[position:]
    elif mode == 2:
        frame.insert(position, value)
    else:
        del frame[position]
    buffer = bytearray(frame)
    for item in jt808.extract_frames(buffer, 4096):
        if isinstance(item, bytes):
            with contextlib.suppress(FrameError):
                jt808.decode(item)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60))
def test_fast_unescape_agrees_with_the_bytewise_one(data):
    try:
        expected = jt808._unescape_bytewise(data)
    except FrameError:
        with pytest.raises(FrameError):
            jt808.unescape(data)
    else:
        assert jt808.unescape(data) == expected


def test_terminal_numbers_are_remembered_within_a_bound_and_still_read_the_same(monkeypatch):
    """Each frame's number is worked out once per number, but a sender inventing numbers
    cannot grow the table without end, and a remembered number decodes exactly as a new one."""
    monkeypatch.setattr(jt808, "_terminal_numbers", {})
    monkeypatch.setattr(jt808, "_TERMINAL_NUMBERS_MAX", 50)
    when = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    for index in range(500):
        number = f"0{12_076_460_000 + index}"
        header, decoded = jt808.decode(jt808_location(number, when, 27.9, 110.5))
        assert header.identifier == decoded.messages[0].identifier == number
        assert len(jt808._terminal_numbers) <= 50
    header, _decoded = jt808.decode(jt808_location("012076460499", when, 27.9, 110.5))
    assert header.identifier == "012076460499"
    assert jt808.decode(jt808_location("12076460499", when, 27.9, 110.5, version_2019=True))[0].identifier == (
        "012076460499"
    )
