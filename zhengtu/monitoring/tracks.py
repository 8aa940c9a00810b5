"""Track playback data: a supervisee's fixes over a period, reduced to what the screen shows.

A month of fixes (one every 10 s: 259,200) is far more than a map can draw, and reading it
through the database driver (SQLite returns every `fix_time` as text, psycopg builds a datetime
for each) cost more than everything else together. Asked with a zoom level, the track is
reduced **in the query**: the database groups the fixes by (time bucket, grid cell of about one
screen pixel at that zoom) and returns, per group, its first and last fix time as epoch seconds,
its number of fixes, its mean position and its top speed: a few thousand to a few tens of
thousands of rows of numbers instead of a month of rows (`reduced_track`). In Python (numpy)
each group becomes a point at its first and at its last time, in time order, so a walk out and
back along one street within a bucket is drawn out and back; consecutive points in the same
cell collapse to the first and last of them (a night at home is two points, not 5,000); the
line is cut where the device was silent longer than TRACK_GAP_MINUTES (found from the groups'
first and last times: no group spans a silence, see `_silences`), so a day without fixes is
not drawn as a straight jump; then Douglas–Peucker (shapely) at one pixel on each piece. The
first and the last fix of the period are added exactly as stored. Every fix then lies within about one pixel of a point of the reduced line
(its cell's point). The answer can be an encoded polyline (Google's algorithm, 6 decimals,
encoded with numpy) with time offsets and speeds, a fraction of the size of JSON rows. The full
resolution stays available as an audited export (`query_track`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db import connection
from shapely.geometry import LineString

from .coords import from_display, to_display, to_display_arrays
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


def query_track(supervisee_id: int, start: dt.datetime, end: dt.datetime) -> list[TrackPoint]:
    """Every fix of [start, end), oldest first (the audited export): through the (supervisee,
    fix_time) index, ordered by fix_time alone (the index's order, so the month is not sorted
    again), as plain rows (no model instances)."""
    from .models import Position

    table = connection.ops.quote_name(Position._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"SELECT fix_time, latitude, longitude, speed_kmh FROM {table}"  # noqa: S608
        " WHERE supervisee_id = %s AND fix_time >= %s AND fix_time < %s ORDER BY fix_time"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [supervisee_id, adapt(start), adapt(end)])
        rows = cursor.fetchall()
    convert = _datetime_converter()
    return [TrackPoint(convert(t), lat, lon, speed) for t, lat, lon, speed in rows]


def _datetime_converter():  # type: ignore[no-untyped-def]
    if connection.vendor != "sqlite":
        return lambda value: value
    parse = dt.datetime.fromisoformat

    def convert(value: object) -> dt.datetime:
        moment = parse(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    return convert


@dataclass(frozen=True, slots=True)
class ReducedTrack:
    """Points in time order as parallel arrays: epoch seconds, WGS-84 degrees, km/h."""

    times: np.ndarray
    latitudes: np.ndarray
    longitudes: np.ndarray
    speeds: np.ndarray
    fixes: int  # fixes stored in the period
    rows_read: int  # rows the database returned (groups and the two end fixes)
    # Indices of the points that start a new piece of line (the track left the bounds or the
    # device was off in between): the map does not join a point to the one before it.
    breaks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.times)


# The group key packs (bucket, cell row, cell column) into one integer (a single-column sort is
# the cheapest GROUP BY): 21 bits a cell coordinate (2 million cells: 60 km even at zoom 22;
# cells this far apart in one bucket never share a key in practice), the bucket above them.
_CELL_BITS = 21
_CELL_MASK = (1 << _CELL_BITS) - 1
# At most about this many time buckets in a period (a month: one an hour; a day: one in 2 min).
_BUCKETS_PER_PERIOD = 720


def bucket_seconds(start: dt.datetime, end: dt.datetime) -> int:
    """The time bucket of the reduction: short enough that order within it rarely matters (a
    cell's first and last visit keep their places anyway), long enough that a month stays a
    few thousand buckets; never longer than the gap rule, so that no group's first and last
    fix can straddle a silence of the device (see `_silences`; a second shorter, so that a
    Julian day's rounding at a bucket's edge cannot make a group span the whole gap)."""
    span = (end - start).total_seconds()
    return int(min(3600, max(60, span // _BUCKETS_PER_PERIOD), gap_seconds() - 1))


def gap_seconds() -> float:
    """TRACK_GAP_MINUTES in seconds: a device silent longer than this was off or out of coverage."""
    return 60 * float(rule("TRACK_GAP_MINUTES"))


def gap_starts(silent: np.ndarray, xs: np.ndarray, ys: np.ndarray, *, pixel: float) -> np.ndarray:
    """The gap rule, for both reductions: point i + 1 starts a new piece of line when the device
    was silent longer than TRACK_GAP_MINUTES between points i and i + 1 (`silent[i]`) and the two
    are more than two pixels apart on the map (a line across the silence would be drawn between
    places the person was never seen travelling). `xs`, `ys` in metres; the answer has one flag
    per point, the first always False."""
    starts = np.zeros(len(xs), dtype=bool)
    starts[1:] = silent & (np.hypot(np.diff(xs), np.diff(ys)) > 2 * pixel)
    return starts


def reduced_track(supervisee_id: int, start: dt.datetime, end: dt.datetime, *, zoom: float) -> ReducedTrack:
    """The fixes of [start, end) reduced in the query to what a map at `zoom` can show (see the
    module's docstring). The database does the grouping (one pass through the (supervisee,
    fix_time) index and one sort of integer keys); what crosses the driver is numbers only."""
    from .models import Position

    table = connection.ops.quote_name(Position._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    where = " WHERE supervisee_id = %s AND fix_time >= %s AND fix_time < %s"
    period = [supervisee_id, adapt(start), adapt(end)]
    epoch = _epoch_sql()
    ends_sql = (
        f"SELECT {epoch}, latitude, longitude, speed_kmh FROM {table}{where}"  # noqa: S608
        " ORDER BY fix_time {order} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(ends_sql.format(order="ASC"), period)
        first = cursor.fetchone()
        if first is None:
            return _empty_track()
        cursor.execute(ends_sql.format(order="DESC"), period)
        last = cursor.fetchone()
        cell = metres_per_pixel(zoom, first[1]) / METRES_PER_DEGREE
        cell_lon = cell / max(math.cos(math.radians(first[1])), 0.05)
        bucket = bucket_seconds(start, end)
        # Grid cells counted from the south pole and the antimeridian, so the values are never
        # negative: SQLite's CAST truncates, which is then the floor, with no math function
        # (a SQLite built without them would call Django's Python FLOOR for every fix);
        # PostgreSQL's CAST rounds, so it takes floor().
        # The time: epoch seconds on PostgreSQL; on SQLite the Julian day (SQLite computes it
        # from the stored text at about two thirds of the CPU of strftime('%s'): 0.30 against
        # 0.46 s for a month), bucketed as days since the period's start × buckets a day.
        origin = int(start.timestamp())
        if connection.vendor == "postgresql":
            cell_of = "CAST(floor(({}) / %s) AS bigint)".format
            moment, bucket_of = epoch, "((t - %s) / %s)"
            bucket_params: list[float] = [origin, bucket]  # integers: PostgreSQL divides them whole
        else:
            cell_of = "CAST(({}) / %s AS INTEGER)".format
            moment, bucket_of = "julianday(fix_time)", "CAST((t - %s) * %s AS INTEGER)"
            bucket_params = [origin / 86_400 + 2_440_587.5, 86_400 / bucket]
        group_sql = (
            "SELECT min(t), max(t), count(*), avg(latitude), avg(longitude), max(speed_kmh),"  # noqa: S608
            f" k & {(1 << 2 * _CELL_BITS) - 1} FROM ("
            f"SELECT t, latitude, longitude, speed_kmh, {bucket_of} * {1 << 2 * _CELL_BITS}"
            f" + ({cell_of('latitude + 90.0')} & {_CELL_MASK}) * {1 << _CELL_BITS}"
            f" + ({cell_of('longitude + 180.0')} & {_CELL_MASK}) AS k"
            f" FROM (SELECT {moment} AS t, latitude, longitude, speed_kmh FROM {table}{where}) fixes"
            ") keyed GROUP BY k"
        )
        cursor.execute(group_sql, [*bucket_params, cell, cell_lon, *period])
        groups = cursor.fetchall()
    fixes = sum(row[2] for row in groups)
    values = np.array([row[:6] for row in groups], dtype=np.float64).reshape(-1, 6)
    values[:, :2] = _epoch_seconds(values[:, :2])
    cells = np.fromiter((row[6] for row in groups), dtype=np.int64, count=len(groups))
    # Each group is a point at its first fix time and, if later, at its last: in time order.
    again = values[:, 1] > values[:, 0]
    times = np.concatenate([values[:, 0], values[again, 1]])
    columns = np.concatenate([values[:, 3:6], values[again, 3:6]])
    cells = np.concatenate([cells, cells[again]])
    order = np.argsort(times, kind="stable")
    times, columns, cells = times[order], columns[order], cells[order]
    # Consecutive points in one cell: only the first and the last of them.
    keep = np.ones(len(times), dtype=bool)
    if len(times) > 2:
        same_as_before = cells[1:-1] == cells[:-2]
        same_as_after = cells[1:-1] == cells[2:]
        keep[1:-1] = ~(same_as_before & same_as_after)
    times, columns = times[keep], columns[keep]
    # The period's first and last fix exactly as stored.
    times = np.concatenate([[first[0]], times, [last[0]]])
    columns = np.concatenate([[first[1:4]], columns, [last[1:4]]])
    # Cut where the device was silent (the gap rule), then Douglas–Peucker on each piece.
    pixel = metres_per_pixel(zoom, first[1])
    x_scale = METRES_PER_DEGREE * math.cos(math.radians(float(np.mean(columns[:, 0]))))
    xs, ys = columns[:, 1] * x_scale, columns[:, 0] * METRES_PER_DEGREE
    silent = np.zeros(max(len(times) - 1, 0), dtype=bool)
    heard_again = np.searchsorted(times, _silences(values[:, 0], values[:, 1]), side="left")
    silent[heard_again[(heard_again > 0) & (heard_again < len(times))] - 1] = True
    starts = gap_starts(silent, xs, ys, pixel=pixel)
    kept = _simplify_pieces(xs, ys, np.cumsum(starts), tolerance_m=pixel)
    return ReducedTrack(
        times=times[kept].astype(np.int64),
        latitudes=columns[kept, 0],
        longitudes=columns[kept, 1],
        speeds=columns[kept, 2],
        fixes=fixes,
        rows_read=len(groups) + 2,
        breaks=np.flatnonzero(starts[kept]),
    )


def _silences(firsts: np.ndarray, lasts: np.ndarray) -> np.ndarray:
    """When the device was heard again after a silence longer than the gap rule, from the groups'
    first and last fix times alone: the holes in the union of the groups' [first, last]. A hole
    holds no fix, so it is a silence; and every silence is a hole, since a group spans less
    than a bucket and a bucket is never longer than the gap (`bucket_seconds`), so no group
    straddles one. Exact, without reading the fixes in time order once more."""
    if len(firsts) < 2:
        return np.zeros(0)
    order = np.argsort(firsts, kind="stable")
    firsts, covered_until = firsts[order], np.maximum.accumulate(lasts[order])
    return firsts[1:][firsts[1:] - covered_until[:-1] > gap_seconds()]


def _empty_track(*, fixes: int = 0, rows_read: int = 0) -> ReducedTrack:
    nothing = np.zeros(0)
    return ReducedTrack(nothing.astype(np.int64), nothing, nothing, nothing, fixes=fixes, rows_read=rows_read)


# -- what one screen shows: the fixes in the map's bounds, in time order ----------------------------
#
# At zoom 15 and above a month's random walk leaves about as many groups as fixes (each 10-s fix
# a new pixel), and SQLite's GROUP BY of 100,000 groups costs twice as much as reading the rows
# themselves. There the page asks only for what it shows (its bounds plus a margin), and the API
# reads those fixes in time order (the (supervisee, fix_time) index's order, epoch seconds and
# floats only), plus the times of the period's fixes outside the bounds (one integer each), so
# the line is cut exactly where the track leaves the bounds and starts again where it comes back,
# never joined by a chord across what the screen does not show. Runs of fixes in one pixel keep
# their first and last fix; Douglas–Peucker at one pixel runs on each piece of line separately.


@dataclass(frozen=True, slots=True)
class Bounds:
    """A map's bounds in WGS-84 degrees."""

    south: float
    west: float
    north: float
    east: float


class BoundsError(ValueError):
    pass


def parse_bounds(text: str, *, crs: str) -> Bounds | None:
    """`south,west,north,east` in the display CRS (what Leaflet's `getBounds().toBBoxString()`
    gives, reordered) → WGS-84 bounds; None for an empty text or bounds covering the whole world
    (the same as no bounds). Numbers beyond the world are clamped to it. Raises BoundsError."""
    if not text.strip():
        return None
    parts = text.split(",")
    try:
        south, west, north, east = (float(part) for part in parts)
    except ValueError:
        raise BoundsError("numbers") from None
    if not all(math.isfinite(value) for value in (south, west, north, east)):
        raise BoundsError("numbers")
    if south > north or west > east:
        raise BoundsError("order")
    south, north = max(south, -90.0), min(north, 90.0)
    west, east = max(west, -180.0), min(east, 180.0)
    if south <= -90 and north >= 90 and west <= -180 and east >= 180:
        return None
    if crs != "wgs84":
        # The display offset (GCJ-02, BD-09: a few hundred metres) changes slowly: the box
        # around the four corners converted, widened by the offset's variation, holds the view.
        corners = [from_display(lat, lon, crs) for lat in (south, north) for lon in (west, east)]
        slack = 0.001
        south = min(lat for lat, _lon in corners) - slack
        north = max(lat for lat, _lon in corners) + slack
        west = min(lon for _lat, lon in corners) - slack
        east = max(lon for _lat, lon in corners) + slack
    return Bounds(south, west, north, east)


def track_in_order(
    supervisee_id: int, start: dt.datetime, end: dt.datetime, *, zoom: float, bounds: Bounds | None = None
) -> ReducedTrack:
    """The fixes of [start, end) inside `bounds` (all of them without), in time order, reduced to
    what a map at `zoom` shows and cut into pieces where the track leaves the bounds or the
    device was off (see the comment above)."""
    statements = in_order_statements(supervisee_id, start, end, bounds=bounds)
    rows = _fetch_numbers(*statements[0])
    outside = np.zeros(0)
    if len(statements) > 1:
        outside = np.fromiter(itertools.chain.from_iterable(_fetch_numbers(*statements[1])), dtype=np.float64)
    fixes = len(rows) + len(outside)
    if not rows:
        return _empty_track(fixes=fixes, rows_read=fixes)
    # Flattened without a Python step per row (half the time of np.array over the tuples).
    values = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=4 * len(rows)).reshape(-1, 4)
    values[:, 0] = _epoch_seconds(values[:, 0])
    outside = _epoch_seconds(outside)
    return _reduce_in_order(values, outside, zoom=zoom, fixes=fixes)


def in_order_statements(
    supervisee_id: int, start: dt.datetime, end: dt.datetime, *, bounds: Bounds | None
) -> list[tuple[str, list[Any]]]:
    """The statements of `track_in_order` (SQL, parameters): the fixes inside the bounds, and
    with bounds the times of the fixes outside them; both a range of the (supervisee, fix_time)
    index, read in its order (the tests EXPLAIN them on both databases)."""
    from .models import Position

    table = connection.ops.quote_name(Position._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    where = " WHERE supervisee_id = %s AND fix_time >= %s AND fix_time < %s"
    period: list[Any] = [supervisee_id, adapt(start), adapt(end)]
    # Time as a float the database computes cheaply (SQLite parses its text once more slowly
    # for strftime('%s') than for julianday), made whole epoch seconds in numpy.
    moment = (
        "CAST(extract(epoch FROM fix_time) AS double precision)"
        if connection.vendor == "postgresql"
        else "julianday(fix_time)"
    )
    columns = f"SELECT {moment}, latitude, longitude, speed_kmh FROM {table}{where}"  # noqa: S608
    if bounds is None:
        return [(f"{columns} ORDER BY fix_time", period)]
    inside = "latitude >= %s AND latitude <= %s AND longitude >= %s AND longitude <= %s"
    box = [bounds.south, bounds.north, bounds.west, bounds.east]
    return [
        (f"{columns} AND {inside} ORDER BY fix_time", period + box),
        (f"SELECT {moment} FROM {table}{where} AND NOT ({inside}) ORDER BY fix_time", period + box),  # noqa: S608
    ]


def _fetch_numbers(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of numbers. On PostgreSQL in the binary protocol, through a server-side-binding
    psycopg cursor on Django's connection: parsing a month of floats from text cost three times
    as much (0.35 s against 0.1 s of CPU for 259,200 rows). Django's query log does not see it."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, binary=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _epoch_seconds(moments: np.ndarray) -> np.ndarray:
    """Whole epoch seconds (as stored, truncated) from what the track queries selected; a Julian
    day is exact to about 50 µs, hence the millisecond before the floor."""
    if connection.vendor != "postgresql":
        moments = (moments - 2_440_587.5) * 86_400.0
    return np.floor(moments + 0.001)


def _epoch_sql() -> str:
    if connection.vendor == "postgresql":
        return "CAST(extract(epoch FROM fix_time) AS bigint)"
    return "CAST(strftime('%%s', fix_time) AS INTEGER)"


def _reduce_in_order(values: np.ndarray, outside: np.ndarray, *, zoom: float, fixes: int) -> ReducedTrack:
    """`values`: (epoch s, latitude, longitude, km/h) rows in time order; `outside`: the times of
    the period's fixes outside the bounds, in order."""
    times, latitudes, longitudes = values[:, 0], values[:, 1], values[:, 2]
    total = len(times)
    pixel = metres_per_pixel(zoom, float(latitudes[0]))
    x_scale = METRES_PER_DEGREE * math.cos(math.radians(float(np.mean(latitudes))))
    xs, ys = longitudes * x_scale, latitudes * METRES_PER_DEGREE
    # A new piece of line where a fix outside the bounds came between two inside, and where
    # the device was silent longer than the gap rule and the two fixes are apart on the map.
    starts = np.zeros(total, dtype=bool)
    starts[0] = True
    if len(outside):
        seen_outside = np.searchsorted(outside, times, side="right")
        starts[1:] |= seen_outside[1:] != seen_outside[:-1]
    starts |= gap_starts(np.diff(times) > gap_seconds(), xs, ys, pixel=pixel)
    # Runs of fixes in one pixel (within a piece): only the first and the last of each.
    column, row = np.floor(xs / pixel), np.floor(ys / pixel)
    same = (column[1:] == column[:-1]) & (row[1:] == row[:-1]) & ~starts[1:]
    keep = np.ones(total, dtype=bool)
    keep[1:-1] = ~(same[:-1] & same[1:])
    candidates = np.flatnonzero(keep)
    piece = np.cumsum(starts)[candidates] - 1
    kept = candidates[_simplify_pieces(xs[candidates], ys[candidates], piece, tolerance_m=pixel)]
    return ReducedTrack(
        times=times[kept].astype(np.int64),
        latitudes=latitudes[kept],
        longitudes=longitudes[kept],
        speeds=values[kept, 3],
        fixes=fixes,
        rows_read=fixes,
        breaks=np.flatnonzero(starts[kept])[1:],
    )


def _simplify_pieces(xs: np.ndarray, ys: np.ndarray, piece: np.ndarray, *, tolerance_m: float) -> np.ndarray:
    """Douglas–Peucker on each piece of line at once (shapely, vectorised): the indices of the
    kept points, in order; every piece keeps its first and last point. Each point's index rides
    along as its Z coordinate (GEOS simplifies in the plane and keeps the Z of what it keeps)."""
    index = np.arange(len(xs))
    sizes = np.bincount(piece)
    lines = sizes[piece] > 1
    if not lines.any():
        return index
    _pieces, line_of = np.unique(piece[lines], return_inverse=True)
    simplified = shapely.simplify(
        shapely.linestrings(xs[lines], ys[lines], index[lines].astype(np.float64), indices=line_of),
        tolerance_m,
        preserve_topology=False,
    )
    kept = shapely.get_coordinates(simplified, include_z=True)[:, 2].astype(np.int64)
    return np.sort(np.concatenate([kept, index[~lines]]))


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


def reduced_payload(track: ReducedTrack, *, crs: str, zoom: float, encoding: str = "polyline") -> dict[str, object]:
    """The answer for the map: `fixes` stored, `count` points shown, in `crs`; encoded (polyline,
    time offsets, speeds) or as JSON rows."""
    latitudes, longitudes = track.latitudes, track.longitudes
    if crs != "wgs84" and len(track):
        latitudes, longitudes = to_display_arrays(latitudes, longitudes, crs)
    payload: dict[str, object] = {
        "fixes": track.fixes,
        "simplified": len(track) < track.fixes,
        "crs": crs,
        "zoom": zoom,
        "count": len(track),
        "breaks": track.breaks.tolist(),
    }
    if encoding == "polyline":
        payload["polyline"] = encode_polyline_array(latitudes, longitudes)
        payload["start"] = dt.datetime.fromtimestamp(int(track.times[0]), tz=dt.UTC).isoformat() if len(track) else None
        # Seconds since the start, then since the point before: small numbers, compactly encoded.
        payload["times"] = encode_array(np.diff(track.times, prepend=track.times[:1]))
        payload["speeds"] = encode_array(np.rint(track.speeds).astype(np.int64))
        return payload
    payload["points"] = [
        [round(lat, 7), round(lon, 7), dt.datetime.fromtimestamp(t, tz=dt.UTC).isoformat(), round(speed, 1)]
        for lat, lon, t, speed in zip(
            latitudes.tolist(), longitudes.tolist(), track.times.tolist(), track.speeds.tolist(), strict=True
        )
    ]
    return payload


def encode_array(values: np.ndarray) -> str:
    """Integers in the encoded-polyline alphabet, vectorised (numpy): the same text as
    `encode_numbers`, without a Python step per value (a zoom-15 month is 90,000 points)."""
    values = np.asarray(values, dtype=np.int64)
    if not len(values):
        return ""
    folded = np.where(values < 0, ~(values << 1), values << 1)
    chunks = np.stack([(folded >> (5 * j)) & 0x1F for j in range(13)], axis=1)  # 13 × 5 bits ≥ 64
    # How many 5-bit chunks each value needs (at least one).
    needed = np.ones(len(values), dtype=np.int64)
    for j in range(1, 13):
        needed += (folded >> (5 * j)) > 0
    position = np.arange(13)
    more = position[None, :] < (needed[:, None] - 1)
    characters = chunks + np.where(more, 0x20, 0) + 63
    used = position[None, :] < needed[:, None]
    return characters[used].astype(np.uint8).tobytes().decode("ascii")


def encode_polyline_array(latitudes: np.ndarray, longitudes: np.ndarray, precision: int = 6) -> str:
    """`encode_polyline` over arrays (numpy): deltas of the rounded coordinates, interleaved."""
    if not len(latitudes):
        return ""
    factor = 10**precision
    ilat = np.rint(np.asarray(latitudes) * factor).astype(np.int64)
    ilon = np.rint(np.asarray(longitudes) * factor).astype(np.int64)
    deltas = np.empty(2 * len(ilat), dtype=np.int64)
    deltas[0::2] = np.diff(ilat, prepend=0)
    deltas[1::2] = np.diff(ilon, prepend=0)
    return encode_array(deltas)


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
