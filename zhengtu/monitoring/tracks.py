"""Track playback data: a supervisee's fixes over a period, simplified on the server when long."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from shapely.geometry import LineString

from .coords import to_display
from .rules import rule


@dataclass(frozen=True, slots=True)
class TrackPoint:
    time: dt.datetime
    latitude: float
    longitude: float
    speed_kmh: float


def simplify(points: list[TrackPoint], *, tolerance_m: float) -> list[TrackPoint]:
    """Douglas–Peucker in a local metric plane; kept points are original fixes (with their times)."""
    if len(points) < 3:
        return points
    lat0 = math.radians(sum(p.latitude for p in points) / len(points))
    metres_per_degree = 111_320.0
    coords = [(p.longitude * metres_per_degree * math.cos(lat0), p.latitude * metres_per_degree) for p in points]
    line = LineString(coords)
    kept = line.simplify(tolerance_m, preserve_topology=False)
    index_of: dict[tuple[float, float], list[int]] = {}
    for index, xy in enumerate(coords):
        index_of.setdefault(xy, []).append(index)
    result: list[TrackPoint] = []
    last_index = -1
    for xy in kept.coords:
        candidates = [i for i in index_of.get((xy[0], xy[1]), []) if i > last_index]
        if candidates:
            last_index = candidates[0]
            result.append(points[last_index])
    if result[-1] is not points[-1]:
        result.append(points[-1])
    return result


def track_payload(points: list[TrackPoint], *, crs: str) -> dict[str, object]:
    total = len(points)
    if total > int(rule("TRACK_SIMPLIFY_ABOVE")):
        points = simplify(points, tolerance_m=float(rule("TRACK_SIMPLIFY_METRES")))
    rows = []
    for point in points:
        lat, lon = to_display(point.latitude, point.longitude, crs)
        rows.append([round(lat, 7), round(lon, 7), point.time.isoformat(), round(point.speed_kmh, 1)])
    return {"fixes": total, "points": rows, "simplified": len(rows) < total, "crs": crs}
