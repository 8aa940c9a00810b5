"""The packed decoding of location frames (gateway/packed.py) gives the writer exactly what the
general decoders give, and the devices exactly the same answers; whatever it does not take on
goes the general way, errors included."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengtu.monitoring.gateway import packed
from zhengtu.monitoring.gateway.http import HttpRequestReader
from zhengtu.monitoring.gateway.sessions import Gt06Session, Jt808Session, Session, WatchSession
from zhengtu.monitoring.handoff import PackedReport, pack_reports, unpack_reports
from zhengtu.monitoring.processing import Outcome, Report
from zhengtu.monitoring.protocols import gt06, jt808, osmand, simulate
from zhengtu.monitoring.protocols.base import Alarm, FrameError
from zhengtu.monitoring.tests.gateway.conftest import mutate

RECEIVED = dt.datetime(2026, 11, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
RECEIVED_US = (RECEIVED - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
MONOTONIC = 1234.5
PEER = "10.1.2.3:45678"
WHEN = dt.datetime(2026, 11, 1, 8, 30, 15, tzinfo=dt.UTC)

OUTCOMES = [
    [],
    [Outcome(known=True, stored=1)],
    [Outcome(known=True, rejected=1)],
    [Outcome(known=False)],
    [Outcome(known=True, refused=True)],
]


def _session(session_class: type[Session], *, login: str | None, zone: int = 0, authenticated: bool = True) -> Session:
    session = session_class(PEER, 4096)
    if isinstance(session, Gt06Session):
        session.identifier = login
        session.offset_minutes = zone
    if isinstance(session, Jt808Session) and authenticated:
        session.authenticated = login
    return session


def _compare(session_class: type[Session], frame: bytes, *, login: str | None = None, zone: int = 0) -> bool:
    """Decode `frame` both ways in sessions set up alike; True when the packed way took it."""
    fast = _session(session_class, login=login, zone=zone)
    general = _session(session_class, login=login, zone=zone)
    taken = fast.decode_packed(frame, RECEIVED_US, MONOTONIC)
    if taken is None:
        return False
    fast_frame, fast_reports = taken
    assert all(type(report) is PackedReport for report in fast_reports)
    general_frame = general.decode(frame)  # the packed way takes nothing the general way refuses
    general_reports = general.reports(general_frame.messages, RECEIVED, MONOTONIC)
    fast.prepare(fast_reports)
    general.prepare(general_reports)
    assert pack_reports(fast_reports) == pack_reports(general_reports)
    assert unpack_reports(pack_reports(fast_reports)) == general_reports
    assert (fast_frame.barrier, fast_frame.close) == (general_frame.barrier, general_frame.close)
    for _round in range(2):  # the platform's serial numbers advance alike
        for outcomes in OUTCOMES:
            assert fast_frame.reply(outcomes) == general_frame.reply(outcomes)
    return True


EDITS = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 255), st.sampled_from(["set", "cut", "add"])), max_size=2
)
MOMENTS = st.datetimes(min_value=dt.datetime(2001, 1, 1), max_value=dt.datetime(2098, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=dt.UTC)
)
LATITUDES = st.floats(-90, 90)
LONGITUDES = st.floats(-180, 180)


# -- JT/T 808 ---------------------------------------------------------------------------------


@settings(max_examples=300)
@given(
    phone=st.from_regex(r"\A[0-9]{1,12}\Z"),
    when=MOMENTS,
    lat=LATITUDES,
    lon=LONGITUDES,
    alarm_bits=st.integers(0, 2**32 - 1),
    fixed=st.booleans(),
    speed=st.integers(0, 65535),
    course=st.integers(0, 65535),
    altitude=st.integers(-32768, 32767),
    satellites=st.none() | st.integers(0, 255),
    serial=st.integers(0, 65535),
    version_2019=st.booleans(),
    edits=EDITS,
)
def test_jt808_locations_pack_as_the_general_decoder(
    phone, when, lat, lon, alarm_bits, fixed, speed, course, altitude, satellites, serial, version_2019, edits
):
    frame = simulate.jt808_location(
        phone, when, lat, lon, serial=serial, alarm_bits=alarm_bits, fixed=fixed, speed_kmh=speed / 10,
        course=course, altitude=altitude, satellites=satellites, version_2019=version_2019,
    )  # fmt: skip
    login = jt808.normalise_terminal_number(phone)
    taken = _compare(Jt808Session, mutate(frame, edits), login=login)
    if not edits:
        assert taken != version_2019  # the usual frame goes the packed way; a 2019 header the general way


@pytest.mark.parametrize(
    ("lat", "lon", "kwargs"),
    [
        (-33.868820, 151.209296, {}),  # south
        (40.712776, -74.005974, {}),  # west
        (-22.906847, -43.172897, {"fixed": False}),  # both, and no fix
        (28.0, 110.5, {"alarm_bits": 1 | 1 << 7 | 1 << 8 | 1 << 16 | 1 << 17}),  # SOS, low power, power cut, tamper
        (28.0, 110.5, {"satellites": 9, "speed_kmh": 123.4, "course": 725, "altitude": -12}),
    ],
)
def test_jt808_edge_cases_go_the_packed_way(lat, lon, kwargs):
    frame = simulate.jt808_location("12076463279", WHEN, lat, lon, serial=7, **kwargs)
    assert _compare(Jt808Session, frame, login="012076463279")
    (report,) = unpack_reports(pack_reports(Jt808Session(PEER, 4096).decode_packed(frame, RECEIVED_US, 1.0)[1]))
    assert report.message.identifier == "012076463279"  # the leading zero kept
    assert report.message.fixes[0].time == WHEN


def test_jt808_escaped_frame_and_its_reply():
    # A serial of 0x7E7D puts both escaped bytes into the frame and into the reply.
    frame = simulate.jt808_location("13800001234", WHEN, 28.0, 110.5, serial=0x7E7D)
    assert b"\x7d\x02" in frame
    assert _compare(Jt808Session, frame, login="013800001234")


def test_jt808_unauthenticated_connection_is_stamped_so():
    frame = simulate.jt808_location("13800001234", WHEN, 28.0, 110.5)
    session = Jt808Session(PEER, 4096)
    _frame, reports = session.decode_packed(frame, RECEIVED_US, 1.0)
    session.prepare(reports)
    (report,) = unpack_reports(pack_reports(reports))
    assert report.authenticated is False
    session.authenticated = "013800001234"
    session.prepare(reports)
    (report,) = unpack_reports(pack_reports(reports))
    assert report.authenticated is True


@pytest.mark.parametrize(
    "frame",
    [
        simulate.jt808_batch("13800001234", [simulate.jt808_location_body(WHEN, 28.0, 110.5)] * 3),
        simulate.jt808_heartbeat("13800001234"),
        simulate.jt808_auth("13800001234", "code"),
        simulate.jt808_register("13800001234"),
        simulate.jt808_location("13800001234", WHEN, 28.0, 110.5, version_2019=True),
        # An additional-information item cut short: the general decoder names the error.
        simulate.jt808_frame(
            jt808.MSG_LOCATION, "13800001234", simulate.jt808_location_body(WHEN, 28.0, 110.5) + b"\x31\x05\x01"
        ),
    ],
)
def test_jt808_other_frames_go_the_general_way(frame):
    assert Jt808Session(PEER, 4096).decode_packed(frame, RECEIVED_US, 1.0) is None


def test_jt808_bad_checksum_and_bad_bcd_go_the_general_way():
    frame = bytearray(simulate.jt808_location("13800001234", WHEN, 28.0, 110.5))
    frame[-2] ^= 0x01
    assert Jt808Session(PEER, 4096).decode_packed(bytes(frame), RECEIVED_US, 1.0) is None
    with pytest.raises(FrameError, match="checksum"):
        Jt808Session(PEER, 4096).decode(bytes(frame))
    body = simulate.jt808_location_body(WHEN, 28.0, 110.5)
    payload = b"\x02\x00" + len(body).to_bytes(2, "big") + bytes.fromhex("0138000012ab") + b"\x00\x01" + body
    frame = b"\x7e" + jt808.escape(payload + bytes([jt808.xor_checksum(payload)])) + b"\x7e"
    assert Jt808Session(PEER, 4096).decode_packed(frame, RECEIVED_US, 1.0) is None


# -- GT06 -------------------------------------------------------------------------------------


@settings(max_examples=200)
@given(
    when=MOMENTS,
    lat=LATITUDES,
    lon=LONGITUDES,
    speed=st.integers(0, 255),
    course=st.integers(0, 1023),
    fixed=st.booleans(),
    protocol=st.sampled_from([gt06.MSG_GPS_LBS, gt06.MSG_GPS_LBS_2]),
    zone=st.sampled_from([0, 480, -300, 345]),
    serial=st.integers(0, 65535),
    edits=EDITS,
)
def test_gt06_locations_pack_as_the_general_decoder(
    when, lat, lon, speed, course, fixed, protocol, zone, serial, edits
):
    info = simulate.gt06_gps_block(when, lat, lon, speed=speed, course=course, fixed=fixed) + simulate.LBS
    frame = simulate.gt06_frame(protocol, info, serial)
    taken = _compare(Gt06Session, mutate(frame, edits), login="868120000000001", zone=zone)
    if not edits:
        assert taken


def test_gt06_before_login_and_alarms_go_the_general_way():
    location = simulate.gt06_location(WHEN, 28.0, 110.5)
    assert Gt06Session(PEER, 4096).decode_packed(location, RECEIVED_US, 1.0) is None  # no login yet
    session = _session(Gt06Session, login="868120000000001")
    alarm = simulate.gt06_alarm(WHEN, 28.0, 110.5, alarm=0x01)
    assert session.decode_packed(alarm, RECEIVED_US, 1.0) is None
    assert session.decode_packed(simulate.gt06_heartbeat(), RECEIVED_US, 1.0) is None
    assert session.decode_packed(simulate.gt06_login("868120000000001"), RECEIVED_US, 1.0) is None


# -- the watch protocol -----------------------------------------------------------------------


@settings(max_examples=200)
@given(
    identifier=st.from_regex(r"\A[0-9A-Za-z]{1,20}\Z"),
    when=MOMENTS,
    lat=LATITUDES,
    lon=LONGITUDES,
    keyword=st.sampled_from(["UD", "UD2", "UD3", "AL", "LK"]),
    battery=st.integers(-5, 150),
    status=st.integers(0, 2**32 - 1),
    valid=st.booleans(),
    edits=EDITS,
)
def test_watch_positions_pack_as_the_general_decoder(
    identifier, when, lat, lon, keyword, battery, status, valid, edits
):
    frame = simulate.watch_position(
        identifier, when, lat, lon, keyword=keyword, battery=battery, status=status, valid=valid
    )
    taken = _compare(WatchSession, mutate(frame, edits))
    if not edits:
        assert taken == (keyword != "LK")


def test_watch_alarm_is_answered_and_position_is_not():
    session = WatchSession(PEER, 4096)
    alarm = simulate.watch_position("3G1234", WHEN, -33.9, -70.6, keyword="AL", status=1 << 16 | 1 << 20)
    frame, reports = session.decode_packed(alarm, RECEIVED_US, 1.0)
    assert frame.reply([Outcome(known=True, stored=1)]) == b"[SG*3G1234*0002*AL]"
    assert frame.reply([Outcome(known=False)]) is None
    (report,) = unpack_reports(pack_reports(reports))
    assert report.message.alarms == {Alarm.SOS, Alarm.TAMPER}
    assert (report.message.fixes[0].latitude, report.message.fixes[0].longitude) == (-33.9, -70.6)
    frame, _reports = session.decode_packed(simulate.watch_position("3G1234", WHEN, 1, 2), RECEIVED_US, 1.0)
    assert frame.reply([Outcome(known=True, stored=1)]) is None


@pytest.mark.parametrize(
    "content",
    [
        "UD,011126,083015,A,nan,N,110.5,E,0,0,0,7,60,80,0,0,00000000",
        "UD,011126,083015,A,28.0,N,110.5,E,inf,0,0,7,60,80,0,0,00000000",
        "UD,311126,083015,A,28.0,N,110.5,E,0,0,0,7,60,80,0,0,00000000",  # 31 November
        "UD,011126,083015,A,28.0,N,110.5,E,0,0,0,x,60,80,0,0,00000000",
        "UD,011126,083015,A,28.0,N",
    ],
)
def test_watch_bad_positions_go_the_general_way(content):
    frame = simulate.watch_frame("3G1234", content)
    assert WatchSession(PEER, 4096).decode_packed(frame, RECEIVED_US, 1.0) is None
    with pytest.raises(FrameError):
        WatchSession(PEER, 4096).decode(frame)


# -- OsmAnd (HTTP query form) -----------------------------------------------------------------

NUMBERS = st.sampled_from(["", "0", "-0", "12.5", "-7", "1e3", "nan", "inf", "x", "1_0", " 3 ", "100.9", "-200"])


def _compare_osmand(target: str, headers: dict[str, str], body: bytes = b"") -> bool:
    taken = packed.osmand_location(target, headers, body, RECEIVED_US, MONOTONIC)
    if taken is None:
        return False
    record, identifier, extra = taken
    message = osmand.decode(target, headers, body, now=RECEIVED)  # nothing the general way refuses
    general = [Report("osmand", message, RECEIVED, MONOTONIC, PEER)]
    fast = [PackedReport(record, identifier, PEER, extra)]
    assert pack_reports(fast) == pack_reports(general)
    assert unpack_reports(pack_reports(fast)) == general
    return True


@settings(max_examples=400)
@given(
    identifier=st.sampled_from(["", "868120000000003", " phone-7 ", "x" * 65]),
    id_name=st.sampled_from(["id", "deviceid"]),
    lat=st.sampled_from(["27.9", "-33.868820", "nan", "", "91", "1e1"]) | st.floats(-90, 90).map(str),
    lon=st.sampled_from(["110.5", "-74.005974", "inf", "", "-181"]) | st.floats(-180, 180).map(str),
    optional=st.dictionaries(
        st.sampled_from(["speed", "bearing", "heading", "altitude", "accuracy", "batt", "valid", "alarm", "secret"]),
        NUMBERS | st.sampled_from(["sos", "lowBattery", "removing", "false", "1", "TRUE", "s3cret"]),
    ),
    timestamp=st.sampled_from(
        ["", "1764000000", "1764000000123", " 1764000000 ", "2026-11-01T08:30:00Z", "-5", "9" * 30]
    ),
    bearer=st.sampled_from(["", "Bearer tok", "bearer  tok2 "]),
)
def test_osmand_queries_pack_as_the_general_decoder(identifier, id_name, lat, lon, optional, timestamp, bearer):
    params = {id_name: identifier, "lat": lat, "lon": lon, "timestamp": timestamp, **optional}
    target = "/?" + urlencode(params)
    headers = {"host": "phone"} | ({"authorization": bearer} if bearer else {})
    taken = _compare_osmand(target, headers)
    if (identifier, lat, lon, timestamp) == ("868120000000003", "27.9", "110.5", "1764000000") and not optional:
        assert taken


def test_osmand_json_form_and_heartbeat_go_the_general_way():
    body = simulate.osmand_json("868120000000003", WHEN, 28.0, 110.5)
    assert packed.osmand_location("/", {"content-type": "application/json"}, body, RECEIVED_US, 1.0) is None
    assert packed.osmand_location("/", {}, b"id=1&lat=1&lon=2", RECEIVED_US, 1.0) is None  # form body
    assert packed.osmand_location("/?id=1&batt=50", {}, b"", RECEIVED_US, 1.0) is None  # no position
    assert packed.osmand_location("/?id=1&location=1,2", {}, b"", RECEIVED_US, 1.0) is None


class _Gateway:
    takes_packed = True


class _Connection:
    peer = PEER
    gateway = _Gateway()

    def bad_frame(self, error: FrameError) -> None:
        raise AssertionError(error)


def test_osmand_request_answers_as_before_when_packed():
    target = simulate.osmand_query("868120000000003", WHEN, -22.9, -43.17, secret="s3cret", alarm="sos")
    request = f"GET {target} HTTP/1.1\r\nHost: phone\r\n\r\n".encode()
    (frame, reports), *_rest = HttpRequestReader().feed(request, _Connection())  # type: ignore[arg-type]
    (report,) = unpack_reports(pack_reports(reports))
    assert report.message.extra == {"secret_hash": osmand.secret_hash("s3cret")}
    assert report.message.alarms == {Alarm.SOS}
    assert report.message.fixes[0].time == WHEN
    assert frame.reply([Outcome(known=True, stored=1)]).startswith(b"HTTP/1.1 200 ")
    assert frame.reply([Outcome(known=True, refused=True)]).startswith(b"HTTP/1.1 403 ")
    assert frame.reply([Outcome(known=False)]).startswith(b"HTTP/1.1 400 ")
