import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengtu.monitoring.protocols import watch
from zhengtu.monitoring.protocols.base import Alarm, FrameError, MessageKind
from zhengtu.monitoring.protocols.simulate import watch_frame, watch_link, watch_position

WHEN = dt.datetime(2026, 3, 1, 2, 30, 15, tzinfo=dt.UTC)


def test_link_is_answered_with_lk():
    decoded = watch.decode(watch_link("8800000015", battery=77))
    assert decoded.messages[0].kind == MessageKind.HEARTBEAT
    assert decoded.messages[0].battery_percent == 77
    assert decoded.reply == b"[SG*8800000015*0002*LK]"


def test_bare_link_as_published():
    decoded = watch.decode(b"[3G*8800000015*0002*LK]")
    assert decoded.reply == b"[3G*8800000015*0002*LK]"


def test_position_decodes_and_is_not_answered():
    decoded = watch.decode(watch_position("8800000015", WHEN, 27.908312, 110.593871, battery=64))
    assert decoded.reply is None
    message = decoded.messages[0]
    fix = message.fixes[0]
    assert fix.time == WHEN
    assert (fix.latitude, fix.longitude) == (pytest.approx(27.908312), pytest.approx(110.593871))
    assert message.battery_percent == 64
    assert message.alarms == set()


def test_published_ud_example():
    frame = watch_frame(
        "8800000015",
        "UD,220414,134652,A,22.571707,N,113.8613968,E,0.1,0.0,100,7,60,90,1000,50,0000,4,1,460,0,9360,4082,131,"
        "9360,4092,148,9360,4091,143,9360,4153,141",
    )
    fix = watch.decode(frame).messages[0].fixes[0]
    assert fix.time == dt.datetime(2014, 4, 22, 13, 46, 52, tzinfo=dt.UTC)
    assert fix.longitude == pytest.approx(113.8613968)


def test_alarm_is_answered_and_reports_sos_and_removal():
    decoded = watch.decode(watch_position("8800000015", WHEN, 27.9, 110.6, keyword="AL", status=1 << 16 | 1 << 20))
    assert decoded.reply == b"[SG*8800000015*0002*AL]"
    assert decoded.messages[0].alarms == {Alarm.SOS, Alarm.TAMPER}


def test_ud2_blind_area_data_is_a_position():
    decoded = watch.decode(watch_position("8800000015", WHEN, 27.9, 110.6, keyword="UD2"))
    assert decoded.messages[0].kind == MessageKind.LOCATION and decoded.reply is None


def test_wrong_length_is_refused():
    with pytest.raises(FrameError):
        watch.decode(b"[SG*8800000015*0003*LK]")


def test_extract_frames_handles_partial_and_sticky_frames():
    one, two = watch_link("1"), watch_position("1", WHEN, 27.9, 110.6)
    buffer = bytearray(one + two[:20])
    assert watch.extract_frames(buffer, 4096) == [one]
    buffer += two[20:] + b"noise"
    frames = watch.extract_frames(buffer, 4096)
    assert frames[0] == two


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(data):
    for item in watch.extract_frames(bytearray(data), 4096):
        if isinstance(item, bytes):
            try:
                watch.decode(item)
            except FrameError as error:
                assert error.raw


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 200), st.characters(codec="ascii"))
def test_mutated_frames_never_crash(position, character):
    frame = bytearray(watch_position("8800000015", WHEN, 27.9, 110.6, keyword="AL"))
    frame[position % len(frame)] = ord(character)
    for item in watch.extract_frames(frame, 4096):
        if isinstance(item, bytes):
            with contextlib.suppress(FrameError):
                watch.decode(item)
