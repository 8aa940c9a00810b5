"""Fence geometry: what is inside, compiled once and evaluated for every fix.

Polygons are read and validated with shapely, then compiled into horizontal strips, each
holding only the edges that cross it: a point is tested by even-odd ray casting against the
edges of its strip, in pure Python. (Calling GEOS per point would release and re-take the GIL
for every fix, which stalls the ingest writer behind the gateway's event loop.) Planar tests
on degrees are exact for containment. Circles are tested by great-circle distance. A bounding
box rejects far points before either test.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..coords import EARTH_RADIUS_METRES, distance_metres
from .schedule import Schedule


@dataclass(slots=True)
class CompiledFence:
    id: int
    name: str
    kind: str  # "inclusion" or "exclusion"
    organisation_path: str
    supervisee_id: int | None
    schedule: Schedule | None
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
    polygon: PolygonIndex | None = None
    center: tuple[float, float] | None = None  # lat, lon
    radius_m: float = 0.0

    def contains(self, lat: float, lon: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
            return False
        if self.polygon is not None:
            return self.polygon.contains(lon, lat)
        assert self.center is not None
        return distance_metres(lat, lon, self.center[0], self.center[1]) <= self.radius_m

    def active_at(self, when: dt.datetime) -> bool:
        return self.schedule is None or self.schedule.active_at(when)

    def violated_by(self, lat: float, lon: float) -> bool:
        inside = self.contains(lat, lon)
        return not inside if self.kind == "inclusion" else inside


Edge = tuple[float, float, float, float]  # x1, y1, x2, y2


class PolygonIndex:
    """Edges of a (multi)polygon, holes included, bucketed by horizontal strips."""

    __slots__ = ("min_y", "strip_height", "strips")

    def __init__(self, geometry: BaseGeometry) -> None:
        rings = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            rings.append(list(polygon.exterior.coords))
            rings.extend(list(interior.coords) for interior in polygon.interiors)
        edges: list[Edge] = []
        for ring in rings:
            for (x1, y1, *_a), (x2, y2, *_b) in zip(ring, ring[1:], strict=False):
                if y1 != y2:  # horizontal edges never cross a horizontal ray
                    edges.append((x1, y1, x2, y2))
        _min_x, min_y, _max_x, max_y = geometry.bounds
        count = max(1, min(256, len(edges) // 4))
        self.min_y = min_y
        self.strip_height = (max_y - min_y) / count or 1.0
        self.strips: list[list[Edge]] = [[] for _ in range(count)]
        for edge in edges:
            low, high = sorted((edge[1], edge[3]))
            first = max(0, int((low - min_y) / self.strip_height))
            last = min(count - 1, int((high - min_y) / self.strip_height))
            for index in range(first, last + 1):
                self.strips[index].append(edge)

    def contains(self, x: float, y: float) -> bool:
        index = int((y - self.min_y) / self.strip_height)
        if index < 0 or index >= len(self.strips):
            return False
        inside = False
        for x1, y1, x2, y2 in self.strips[index]:
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside


def circle_bbox(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    d_lat = math.degrees(radius_m / EARTH_RADIUS_METRES) * 1.001
    d_lon = d_lat / max(math.cos(math.radians(lat)), 1e-6)
    return lon - d_lon, lat - d_lat, lon + d_lon, lat + d_lat


def compile_fence(
    *,
    id: int,
    name: str,
    kind: str,
    organisation_path: str,
    supervisee_id: int | None,
    geometry: dict[str, Any] | None,
    center: tuple[float, float] | None,
    radius_m: float | None,
    schedule: Schedule | None,
) -> CompiledFence:
    if geometry:
        polygon = shape(geometry)
        return CompiledFence(
            id,
            name,
            kind,
            organisation_path,
            supervisee_id,
            schedule,
            tuple(polygon.bounds),
            polygon=PolygonIndex(polygon),
        )
    assert center is not None and radius_m is not None
    return CompiledFence(
        id,
        name,
        kind,
        organisation_path,
        supervisee_id,
        schedule,
        circle_bbox(center[0], center[1], radius_m),
        center=center,
        radius_m=radius_m,
    )
