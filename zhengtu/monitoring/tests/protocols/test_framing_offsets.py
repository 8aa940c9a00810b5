"""The framing of JT/T 808, GT06 and the watch protocol, now cut at offsets into each read
(`split_frames`), gives exactly what the framing that deleted each frame from the buffer gave:
the same frames, the same errors with the same bytes, the same bytes left waiting, however the
stream is cut into reads."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from zhengtu.monitoring.gateway.sessions import Gt06Session, Jt808Session, WatchSession
from zhengtu.monitoring.protocols import gt06, jt808, simulate, watch
from zhengtu.monitoring.protocols.base import FrameError

WHEN = dt.datetime(2026, 11, 1, 8, 30, tzinfo=dt.UTC)


# The framing as it was (kept here as the reference).


def _jt808_before(buffer: bytearray, max_bytes: int) -> list[bytes | FrameError]:
    """Take every complete 0x7E…0x7E frame out of `buffer`; junk between frames is reported."""
    out: list[bytes | FrameError] = []
    while buffer:
        start = buffer.find(0x7E)
        if start < 0:
            out.append(FrameError("bytes outside a frame", bytes(buffer)))
            buffer.clear()
            break
        if start > 0:
            out.append(FrameError("bytes outside a frame", bytes(buffer[:start])))
            del buffer[:start]
        end = buffer.find(0x7E, 1)
        if end < 0:
            if len(buffer) > max_bytes:
                out.append(FrameError("oversized frame", bytes(buffer)))
                buffer.clear()
            break
        if end == 1:  # 7E 7E: the first flag closed an earlier frame; resynchronise on the second
            del buffer[:1]
            continue
        frame = bytes(buffer[: end + 1])
        del buffer[: end + 1]
        if len(frame) > max_bytes:
            out.append(FrameError("oversized frame", frame))
        else:
            out.append(frame)
    return out


def _gt06_before(buffer: bytearray, max_bytes: int) -> list[bytes | FrameError]:
    out: list[bytes | FrameError] = []
    while buffer:
        starts = [i for i in (buffer.find(b"\x78\x78"), buffer.find(b"\x79\x79")) if i >= 0]
        if not starts:
            keep = 1 if buffer[-1:] in (b"\x78", b"\x79") else 0
            if len(buffer) > keep:
                out.append(FrameError("bytes outside a frame", bytes(buffer[: len(buffer) - keep])))
                del buffer[: len(buffer) - keep]
            break
        start = min(starts)
        if start > 0:
            out.append(FrameError("bytes outside a frame", bytes(buffer[:start])))
            del buffer[:start]
        long_form = buffer[0] == 0x79
        head = 4 if long_form else 3
        if len(buffer) < head:
            break
        length = int.from_bytes(buffer[2:4], "big") if long_form else buffer[2]
        total = head + length + 2
        if total > max_bytes:
            out.append(FrameError("oversized frame", bytes(buffer[: min(len(buffer), max_bytes)])))
            del buffer[:2]
            continue
        if len(buffer) < total:
            break
        frame = bytes(buffer[:total])
        if frame[-2:] != b"\r\n" or length < 5:
            # Not a frame after all (or a corrupted length): skip this start and resynchronise.
            out.append(FrameError("frame without stop bytes", frame))
            del buffer[:2]
            continue
        del buffer[:total]
        out.append(frame)
    return out


def _watch_before(buffer: bytearray, max_bytes: int) -> list[bytes | FrameError]:
    out: list[bytes | FrameError] = []
    while buffer:
        start = buffer.find(b"[")
        if start < 0:
            out.append(FrameError("bytes outside a frame", bytes(buffer)))
            buffer.clear()
            break
        if start > 0:
            out.append(FrameError("bytes outside a frame", bytes(buffer[:start])))
            del buffer[:start]
        match = watch.HEADER.match(bytes(buffer[:48]))
        if match is None:
            if len(buffer) >= 48 or b"]" in buffer or buffer.find(b"[", 1) > 0:
                # Not a header we understand: drop up to the next '[' and resynchronise.
                following = buffer.find(b"[", 1)
                cut = following if following > 0 else len(buffer)
                out.append(FrameError("malformed header", bytes(buffer[:cut])))
                del buffer[:cut]
                continue
            break
        total = match.end() + int(match.group(3), 16) + 1
        if total > max_bytes:
            out.append(FrameError("oversized frame", bytes(buffer[: match.end()])))
            del buffer[:1]
            continue
        if len(buffer) < total:
            break
        frame = bytes(buffer[:total])
        if frame[-1:] != b"]":
            out.append(FrameError("length does not match the frame", frame))
            del buffer[:1]
            continue
        del buffer[:total]
        out.append(frame)
    return out


PROTOCOLS = {
    "jt808": (jt808.extract_frames, _jt808_before, Jt808Session, [
        simulate.jt808_location("13800001234", WHEN, 28.0, 110.5, serial=0x7E7D),
        simulate.jt808_heartbeat("13800001234"),
    ]),
    "gt06": (gt06.extract_frames, _gt06_before, Gt06Session, [
        simulate.gt06_location(WHEN, 28.0, 110.5),
        simulate.gt06_login("868120000000001"),
        b"\x79\x79\x00\x06\x13\x44\x05\x04\x00\x01\x00\x00\r\n",
    ]),
    "watch": (watch.extract_frames, _watch_before, WatchSession, [
        simulate.watch_position("3G1234", WHEN, 28.0, 110.5),
        simulate.watch_link("3G1234"),
    ]),
}  # fmt: skip


def _cut(items: list[bytes | FrameError]) -> list[object]:
    return [item if isinstance(item, bytes) else (item.reason, item.raw) for item in items]


@st.composite
def streams(draw: st.DrawFn) -> tuple[str, bytes, list[int], int]:
    protocol = draw(st.sampled_from(sorted(PROTOCOLS)))
    samples = PROTOCOLS[protocol][3]
    parts = draw(
        st.lists(
            st.sampled_from(samples)
            | st.binary(max_size=12)
            | st.sampled_from([b"\x7e", b"[", b"]", b"\x78\x78", b"\x79"]),
            max_size=8,
        )
    )
    data = bytearray(b"".join(parts))
    for position, value in draw(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=3)):
        if data:
            data[position % len(data)] = value
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=4)))
    return protocol, bytes(data), cuts, draw(st.sampled_from([30, 60, 4096]))


@settings(max_examples=400)
@given(streams())
def test_framing_at_offsets_matches_the_framing_before(stream):
    protocol, data, cuts, max_bytes = stream
    now, before, session_class, _samples = PROTOCOLS[protocol]
    buffer_now, buffer_before = bytearray(), bytearray()
    session = session_class("p", max_bytes)
    previous = 0
    for cut in [*cuts, len(data)]:
        chunk = data[previous:cut]
        previous = cut
        buffer_now += chunk
        buffer_before += chunk
        expected = _cut(before(buffer_before, max_bytes))
        assert _cut(now(buffer_now, max_bytes)) == expected
        assert buffer_now == buffer_before
        if chunk:
            assert _cut(session.frames(chunk)) == expected
            assert session.buffer == buffer_before
