"""The one-frame fast paths of the sessions cut exactly as the general framing does."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zhengtu.monitoring.gateway.sessions import Gt06Session, Jt808Session, Session, WatchSession
from zhengtu.monitoring.protocols import simulate
from zhengtu.monitoring.protocols.base import FrameError
from zhengtu.monitoring.tests.gateway.conftest import mutate

WHEN = dt.datetime(2026, 11, 1, 8, 30, tzinfo=dt.UTC)
FRAMES = {
    Jt808Session: simulate.jt808_location("13800001234", WHEN, 28.0, 110.5),
    Gt06Session: simulate.gt06_location(WHEN, 28.0, 110.5),
    WatchSession: simulate.watch_position("3G1234", WHEN, 28.0, 110.5),
}


def _cut(items: list[bytes | FrameError]) -> list[object]:
    return [item if isinstance(item, bytes) else (item.reason, item.raw) for item in items]


@given(
    session_class=st.sampled_from(sorted(FRAMES, key=lambda c: c.__name__)),
    edits=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255), st.sampled_from("set cut add")), max_size=3),
    max_bytes=st.sampled_from([40, 4096]),
)
def test_fast_path_matches_general_framing(session_class, edits, max_bytes):
    data = bytearray(mutate(FRAMES[session_class], edits))
    if not data:
        return
    fast, general = session_class("p", max_bytes), session_class("p", max_bytes)
    assert _cut(fast.frames(bytes(data))) == _cut(Session.frames(general, bytes(data)))
    assert fast.buffer == general.buffer


def test_fast_path_returns_the_whole_frame():
    for session_class, frame in FRAMES.items():
        assert session_class("p", 4096).frames(frame) == [frame]
