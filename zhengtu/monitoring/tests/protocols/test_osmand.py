import contextlib
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengtu.monitoring.protocols import osmand
from zhengtu.monitoring.protocols.base import Alarm, FrameError, MessageKind
from zhengtu.monitoring.protocols.simulate import osmand_json, osmand_query

WHEN = dt.datetime(2026, 3, 1, 2, 30, 15, tzinfo=dt.UTC)
NOW = WHEN + dt.timedelta(seconds=5)


def test_query_form():
    target = osmand_query("phone-1", WHEN, 27.9, 110.6, speed=10, bearing=45, batt=55, accuracy=12)
    message = osmand.decode(target, {}, b"", now=NOW)
    assert message.identifier == "phone-1"
    assert message.kind == MessageKind.LOCATION
    fix = message.fixes[0]
    assert fix.time == WHEN
    assert fix.speed_kmh == pytest.approx(18.52)  # knots → km/h
    assert (fix.course, fix.accuracy, message.battery_percent) == (45, 12, 55)


def test_millisecond_and_iso_timestamps():
    assert osmand.parse_time(str(int(WHEN.timestamp() * 1000)), now=NOW) == WHEN
    assert osmand.parse_time("2026-03-01T10:30:15+08:00", now=NOW) == WHEN
    assert osmand.parse_time("", now=NOW) == NOW


def test_form_body():
    message = osmand.decode(
        "/", {"content-type": "application/x-www-form-urlencoded"}, b"id=9&lat=1.5&lon=2.5", now=NOW
    )
    assert message.fixes[0].latitude == 1.5


def test_json_form_of_traccar_client():
    message = osmand.decode(
        "/", {"content-type": "application/json"}, osmand_json("phone-2", WHEN, 27.9, 110.6), now=NOW
    )
    fix = message.fixes[0]
    assert fix.time == WHEN
    assert fix.speed_kmh == pytest.approx(5.4)  # m/s → km/h
    assert message.battery_percent == 80


def test_json_sos_alarm():
    body = json.loads(osmand_json("phone-2", WHEN, 27.9, 110.6))
    body["location"]["extras"] = {"alarm": "sos"}
    message = osmand.decode("/", {"content-type": "application/json"}, json.dumps(body).encode(), now=NOW)
    assert message.alarms == {Alarm.SOS}


def test_heartbeat_without_coordinates():
    message = osmand.decode("/?id=phone-1&batt=30", {}, b"", now=NOW)
    assert message.kind == MessageKind.HEARTBEAT and message.battery_percent == 30


@pytest.mark.parametrize(
    "target", ["/?lat=1&lon=2", "/?id=1&lat=abc&lon=2", "/?id=1&lat=95&lon=2", "/?id=1&lat=nan&lon=1"]
)
def test_bad_requests_are_refused(target):
    with pytest.raises(FrameError):
        osmand.decode(target, {}, b"", now=NOW)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.booleans())
def test_random_bodies_never_crash(body, as_json):
    headers = {"content-type": "application/json"} if as_json else {}
    with contextlib.suppress(FrameError):
        osmand.decode("/", headers, body, now=NOW)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_random_query_strings_never_crash(text):
    with contextlib.suppress(FrameError):
        osmand.decode("/?" + text, {}, b"", now=NOW)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("é\t%"), max_size=80))
def test_query_parameters_match_urllib(target):
    from urllib.parse import parse_qs, urlsplit

    from zhengtu.monitoring.protocols.osmand import query_parameters

    expected = {k: v[-1] for k, v in parse_qs(urlsplit(target).query, keep_blank_values=True).items()}
    assert query_parameters(target) == expected
