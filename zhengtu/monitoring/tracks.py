"""Track playback data: a supervisee's fixes over a period, simplified to what the screen shows.

A month of fixes (one every 10 s: 259,200) is far more than a map can draw. Asked with a zoom
level, the track is reduced in two steps: while the rows are read (plain cursor rows through the
(supervisee, fix_time) index), consecutive fixes in the same cell of about one screen pixel
collapse to the first of them (a person at home all night is one point, not 3,000); then Douglas–Peucker
(shapely) with a tolerance of one pixel at that zoom. Kept points are original fixes, with their
times. The answer can be an encoded polyline (Google's algorithm, 6 decimals) with time
offsets, a fraction of the size of JSON rows. The full resolution stays available, as an
audited export.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from shapely.geometry import LineString

from .coords import to_display
from .rules import rule

EARTH_METRES_PER_PIXEL_Z0 = 156_543.034  # web-mercator metres per 256-px tile pixel at zoom 0, equator
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True, slots=True)
class TrackPoint:
    time: dt.datetime
    latitude: float
    longitude: float
    speed_kmh: float


def metres_per_pixel(zoom: float, latitude: float) -> float:
    return EARTH_METRES_PER_PIXEL_Z0 * math.cos(math.radians(latitude)) / (2**zoom)


def simplify(points: list[TrackPoint], *, tolerance_m: float) -> list[TrackPoint]:
    """Douglas–Peucker in a local metric plane; kept points are original fixes (with their times)."""
    if len(points) < 3:
        return points
    lat0 = math.radians(sum(p.latitude for p in points) / len(points))
    x_scale = METRES_PER_DEGREE * math.cos(lat0)
    coords = [(p.longitude * x_scale, p.latitude * METRES_PER_DEGREE) for p in points]
    kept = LineString(coords).simplify(tolerance_m, preserve_topology=False)
    # The kept vertices are a subsequence of the original ones: one walk finds their indices.
    result: list[TrackPoint] = []
    index = 0
    total = len(coords)
    for xy in kept.coords:
        while index < total and coords[index] != (xy[0], xy[1]):
            index += 1
        if index < total:
            result.append(points[index])
            index += 1
    if not result or result[-1] is not points[-1]:
        result.append(points[-1])
    return result


def query_track(supervisee_id: int, start: dt.datetime, end: dt.datetime, *, cell_m: float | None) -> list[TrackPoint]:
    """The fixes of [start, end), oldest first (see `read_track`)."""
    return read_track(supervisee_id, start, end, cell_m=cell_m)[0]


def read_track(
    supervisee_id: int, start: dt.datetime, end: dt.datetime, *, cell_m: float | None
) -> tuple[list[TrackPoint], int]:
    """The fixes of [start, end), oldest first, through the (supervisee, fix_time) index (ordered
    by fix_time alone: the index's order, so the month is not sorted again), as plain rows (no
    model instances), and how many the period holds (no second COUNT query over the range).
    With `cell_m`, a fix in the same grid cell as the fix before it is left out before anything
    is built for it (the last fix is always kept): one vectorised pass (numpy) over the
    coordinates, so a month of 259,200 fixes costs a few milliseconds here. Measured on SQLite,
    doing this with window functions in the query took three times as long as a Python pass."""
    from .models import Position

    table = connection.ops.quote_name(Position._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"SELECT fix_time, latitude, longitude, speed_kmh FROM {table}"  # noqa: S608
        " WHERE supervisee_id = %s AND fix_time >= %s AND fix_time < %s ORDER BY fix_time"
    )
    params: list[Any] = [supervisee_id, adapt(start), adapt(end)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = len(rows)
    if cell_m is not None and total > 2:
        rows = [rows[i] for i in _cell_changes(rows, max(cell_m, 0.5) / METRES_PER_DEGREE)]
    convert = _datetime_converter()
    return [TrackPoint(convert(t), lat, lon, speed) for t, lat, lon, speed in rows], total


def _cell_changes(rows: list[tuple[Any, ...]], cell: float) -> list[int]:
    """Indices of the rows whose grid cell (`cell` degrees; longitude cells narrower in the
    north: fine) differs from the row before, plus the first and the last row."""
    coordinates = np.array([(row[1], row[2]) for row in rows], dtype=np.float64)
    cells = np.rint(coordinates / cell).astype(np.int64)
    moved = np.empty(len(rows), dtype=bool)
    moved[0] = True
    np.any(cells[1:] != cells[:-1], axis=1, out=moved[1:])
    moved[-1] = True
    return np.flatnonzero(moved).tolist()  # type: ignore[no-any-return]


def _datetime_converter():  # type: ignore[no-untyped-def]
    if connection.vendor != "sqlite":
        return lambda value: value
    parse = dt.datetime.fromisoformat

    def convert(value: object) -> dt.datetime:
        moment = parse(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    return convert


def track_payload(
    points: list[TrackPoint],
    *,
    crs: str,
    zoom: float | None = None,
    encoding: str = "rows",
    fixes: int | None = None,
    keep_all: bool = False,
) -> dict[str, object]:
    """`fixes`: how many fixes the period holds (when the query already left some out);
    `keep_all`: every fix (the audited export)."""
    total = fixes if fixes is not None else len(points)
    if keep_all:
        pass
    elif zoom is not None and points:
        tolerance = metres_per_pixel(zoom, points[0].latitude)
        points = simplify(points, tolerance_m=tolerance)
    elif len(points) > int(rule("TRACK_SIMPLIFY_ABOVE")):
        points = simplify(points, tolerance_m=float(rule("TRACK_SIMPLIFY_METRES")))
    payload: dict[str, object] = {"fixes": total, "simplified": len(points) < total, "crs": crs}
    if zoom is not None:
        payload["zoom"] = zoom
    displayed = [to_display(p.latitude, p.longitude, crs) for p in points]
    if encoding == "polyline":
        first = points[0].time if points else None
        payload["count"] = len(points)
        payload["polyline"] = encode_polyline(displayed)
        payload["start"] = first.isoformat() if first else None
        # Seconds since the start, then since the point before: small numbers, compactly encoded.
        seconds = [round(p.time.timestamp()) for p in points]
        payload["times"] = encode_numbers([b - a for a, b in zip([seconds[0], *seconds], seconds, strict=False)])
        payload["speeds"] = encode_numbers([round(p.speed_kmh) for p in points])
        return payload
    payload["points"] = [
        [round(lat, 7), round(lon, 7), point.time.isoformat(), round(point.speed_kmh, 1)]
        for (lat, lon), point in zip(displayed, points, strict=True)
    ]
    return payload


def _encode_signed(value: int, out: list[str]) -> None:
    value = ~(value << 1) if value < 0 else value << 1
    while value >= 0x20:
        out.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    out.append(chr(value + 63))


def encode_numbers(values: list[int]) -> str:
    """Integers in the encoded-polyline alphabet (5 bits a character, sign folded in)."""
    out: list[str] = []
    for value in values:
        _encode_signed(value, out)
    return "".join(out)


def encode_polyline(coordinates: list[tuple[float, float]], precision: int = 6) -> str:
    """Google's encoded polyline of (lat, lon) pairs, with `precision` decimals (6: ~0.1 m)."""
    factor = 10**precision
    out: list[str] = []
    last_lat = last_lon = 0
    for lat, lon in coordinates:
        ilat, ilon = round(lat * factor), round(lon * factor)
        _encode_signed(ilat - last_lat, out)
        _encode_signed(ilon - last_lon, out)
        last_lat, last_lon = ilat, ilon
    return "".join(out)


def decode_polyline(text: str, precision: int = 6) -> list[tuple[float, float]]:
    numbers = decode_numbers(text)
    factor = 10**precision
    coordinates = []
    lat = lon = 0
    for index in range(0, len(numbers) - 1, 2):
        lat += numbers[index]
        lon += numbers[index + 1]
        coordinates.append((lat / factor, lon / factor))
    return coordinates


def decode_numbers(text: str) -> list[int]:
    values = []
    value = shift = 0
    for char in text:
        chunk = ord(char) - 63
        value |= (chunk & 0x1F) << shift
        shift += 5
        if chunk < 0x20:
            values.append(~(value >> 1) if value & 1 else value >> 1)
            value = shift = 0
    return values
