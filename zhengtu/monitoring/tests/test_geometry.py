"""The compiled fence evaluator agrees with GEOS (shapely) on random points, holes and multipolygons included."""

import math

import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, Polygon

from zhengtu.monitoring.fences.geometry import PolygonIndex, compile_fence

STAR = Polygon(
    [
        (
            110.6 + 0.1 * (1 + (i % 2)) * math.cos(i * math.pi / 8),
            27.9 + 0.1 * (1 + (i % 2)) * math.sin(i * math.pi / 8),
        )
        for i in range(16)
    ]
)
WITH_HOLE = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (7, 3), (7, 7), (3, 7)]])
TWO = MultiPolygon([Polygon([(0, 0), (1, 0), (1, 1)]), Polygon([(2, 2), (3, 2), (3, 3), (2, 3)])])


@settings(max_examples=500, deadline=None)
@given(st.floats(-1, 12), st.floats(-1, 12))
def test_holes_and_multipolygons_match_geos(x, y):
    for geometry in (WITH_HOLE, TWO):
        assert (
            PolygonIndex(geometry).contains(x, y) == shapely.contains_xy(geometry, x, y)
            or geometry.boundary.distance(Point(x, y)) < 1e-9
        )


@settings(max_examples=500, deadline=None)
@given(st.floats(27.7, 28.1), st.floats(110.4, 110.8))
def test_star_matches_geos(lat, lon):
    index = PolygonIndex(STAR)
    assert (
        index.contains(lon, lat) == shapely.contains_xy(STAR, lon, lat)
        or STAR.boundary.distance(Point(lon, lat)) < 1e-9
    )


def test_circle_fence_uses_great_circle_distance():
    fence = compile_fence(
        id=1, name="home", kind="inclusion", organisation_path="/1/", supervisee_id=None, geometry=None,
        center=(27.9, 110.6), radius_m=100, schedule=None,
    )  # fmt: skip
    assert fence.contains(27.9 + 0.0008, 110.6)  # ~89 m north
    assert not fence.contains(27.9 + 0.001, 110.6)  # ~111 m north
    assert fence.violated_by(27.9 + 0.001, 110.6)
