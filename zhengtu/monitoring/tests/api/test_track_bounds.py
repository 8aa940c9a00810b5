"""What one screen shows: the track inside the map's bounds, cut where it leaves them."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.utils import timezone

from zhengtu.audit.models import AuditEntry
from zhengtu.monitoring.models import Position
from zhengtu.monitoring.tests.conftest import HOME
from zhengtu.monitoring.tracks import decode_numbers, decode_polyline

API = "/api/v1/monitoring"
STEP = 0.0001  # degrees between two fixes of the walks below (about 10 m)


def store(monitored, start: dt.datetime, points: list[tuple[float, float]], *, every: int = 10) -> None:  # type: ignore[no-untyped-def]
    Position.objects.bulk_create(
        Position(
            device=monitored.wristband,
            supervisee=monitored.supervisee,
            fix_time=start + dt.timedelta(seconds=every * index),
            server_time=start + dt.timedelta(seconds=every * index),
            latitude=lat,
            longitude=lon,
        )
        for index, (lat, lon) in enumerate(points)
    )


def out_and_back() -> list[tuple[float, float]]:
    """100 fixes east along one street, 10 north, 100 back west along the next street north."""
    east = [(HOME[0], HOME[1] + STEP * i) for i in range(100)]
    north = [(HOME[0] + STEP * i, HOME[1] + STEP * 99) for i in range(1, 11)]
    west = [(HOME[0] + STEP * 10, HOME[1] + STEP * (99 - i)) for i in range(100)]
    return east + north + west


def pieces(answer: dict) -> list[list[tuple[float, float]]]:  # type: ignore[type-arg]
    path = decode_polyline(answer["polyline"])
    edges = [0, *answer["breaks"], len(path)]
    return [path[a:b] for a, b in itertools.pairwise(edges)]


@pytest.fixture
def walk(client, login, world, monitored):  # type: ignore[no-untyped-def]
    start = (timezone.now() - dt.timedelta(hours=6)).replace(microsecond=0)
    store(monitored, start, out_and_back())
    login(client, world.bureau_a)
    period = {"start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat(), "crs": "wgs84"}
    return f"{API}/tracks/{monitored.supervisee.pk}/", period


def bounds(south: float, west: float, north: float, east: float) -> str:
    return f"{south},{west},{north},{east}"


# The western 40 fixes of both streets: the walk leaves on the lower street and comes back on the upper.
WEST_PART = bounds(HOME[0] - 0.001, HOME[1] - 0.001, HOME[0] + 0.002, HOME[1] + STEP * 39.5)


def test_bounds_give_only_what_is_inside_cut_where_the_track_leaves(client, walk):
    url, period = walk
    answer = client.get(url, {**period, "zoom": 17, "encoding": "polyline", "bounds": WEST_PART}).json()
    assert answer["fixes"] == 210  # the period's, in view or not
    lines = pieces(answer)
    assert len(lines) == 2  # out along the lower street, back along the upper: two pieces, no chord
    assert all(lon <= HOME[1] + STEP * 39.5 for line in lines for _lat, lon in line)
    lower, upper = lines
    assert {lat for lat, _lon in lower} == {round(HOME[0], 6)}
    assert {lat for lat, _lon in upper} == {round(HOME[0] + STEP * 10, 6)}
    # Each piece runs to the edge of the bounds: from home to the 40th fix, and back from there.
    assert lower[0] == (round(HOME[0], 6), round(HOME[1], 6))
    assert lower[-1][1] == pytest.approx(HOME[1] + STEP * 39, abs=1e-6)
    assert upper[0][1] == pytest.approx(HOME[1] + STEP * 39, abs=1e-6)
    # The times go on across the gap: the upper street starts after the 70 fixes out of view.
    seconds = list(itertools.accumulate(decode_numbers(answer["times"])))
    assert seconds[answer["breaks"][0]] - seconds[answer["breaks"][0] - 1] == 10 * (210 - 40 - 40 + 1)
    entry = AuditEntry.objects.filter(detail__what="location_track").latest("pk")
    assert entry.detail["bounds"] and entry.detail["fixes"] == 210


def test_rows_carry_the_same_breaks(client, walk):
    url, period = walk
    answer = client.get(url, {**period, "zoom": 17, "bounds": WEST_PART}).json()
    assert len(answer["breaks"]) == 1
    before, after = answer["points"][answer["breaks"][0] - 1], answer["points"][answer["breaks"][0]]
    assert before[0] != after[0]  # the lower street's last point, then the upper street's first


def test_a_device_that_was_off_is_not_joined_by_a_chord(client, login, world, monitored):
    start = (timezone.now() - dt.timedelta(hours=6)).replace(microsecond=0)
    store(monitored, start, [(HOME[0], HOME[1] + STEP * i) for i in range(30)])
    # Off for two hours, on again 2 km north.
    later = start + dt.timedelta(hours=2, minutes=5)
    store(monitored, later, [(HOME[0] + 0.018, HOME[1] + STEP * i) for i in range(30)])
    login(client, world.bureau_a)
    period = {"start": start.isoformat(), "end": (start + dt.timedelta(hours=3)).isoformat(), "crs": "wgs84"}
    answer = client.get(
        f"{API}/tracks/{monitored.supervisee.pk}/", {**period, "zoom": 15, "encoding": "polyline"}
    ).json()
    lines = pieces(answer)
    assert len(lines) == 2 and answer["fixes"] == 60
    assert {lat for lat, _lon in lines[0]} == {round(HOME[0], 6)}
    assert {lat for lat, _lon in lines[1]} == {round(HOME[0] + 0.018, 6)}


def test_bounds_crossing_nothing_give_an_empty_line_with_the_period_s_fixes(client, walk):
    url, period = walk
    far = bounds(HOME[0] + 0.1, HOME[1] + 0.1, HOME[0] + 0.11, HOME[1] + 0.11)
    answer = client.get(url, {**period, "zoom": 15, "encoding": "polyline", "bounds": far}).json()
    assert answer["count"] == 0 and answer["polyline"] == "" and answer["breaks"] == [] and answer["fixes"] == 210


def test_empty_and_huge_bounds_are_the_whole_track(client, walk):
    url, period = walk
    params = {**period, "zoom": 15, "encoding": "polyline"}
    whole = client.get(url, params).json()
    assert whole["count"] >= 2 and whole["breaks"] == []
    assert client.get(url, {**params, "bounds": ""}).json() == whole
    assert client.get(url, {**params, "bounds": "-1000,-1000,1000,1000"}).json() == whole
    assert "bounds" not in AuditEntry.objects.filter(detail__what="location_track").latest("pk").detail


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("north", "地图范围应为四个数字"),
        ("27.9,110.5,28.0", "地图范围应为四个数字"),
        ("27.9,110.5,28.0,nan", "地图范围应为四个数字"),
        ("28.0,110.5,27.9,110.6", "地图范围无效"),
        ("27.9,110.6,28.0,110.5", "地图范围无效"),
    ],
)
def test_bad_bounds_get_a_clear_message(client, walk, given, message):
    url, period = walk
    response = client.get(url, {**period, "zoom": 15, "bounds": given})
    assert response.status_code == 400
    assert message in response.json()["errors"]["bounds"][0]
    assert not AuditEntry.objects.filter(detail__what="location_track").exists()


def test_bounds_without_a_zoom_are_refused(client, walk):
    url, period = walk
    response = client.get(url, {**period, "bounds": WEST_PART})
    assert response.status_code == 400 and "缩放级别" in response.json()["errors"]["bounds"][0]


def test_bounds_in_gcj02_are_converted_to_the_stored_coordinates(client, walk):
    from zhengtu.monitoring.coords import wgs84_to_gcj02

    url, period = walk
    # The same western part, as the page on 高德 tiles would send it (GCJ-02: hundreds of metres off).
    south, west = wgs84_to_gcj02(HOME[0] - 0.001, HOME[1] - 0.001)
    north, east = wgs84_to_gcj02(HOME[0] + 0.002, HOME[1] + STEP * 39.5)
    answer = client.get(
        url, {**period, "crs": "gcj02", "zoom": 17, "encoding": "polyline", "bounds": bounds(south, west, north, east)}
    ).json()
    assert len(pieces(answer)) == 2


def test_an_outsider_gets_no_track_inside_bounds_either(client, login, world, monitored, walk):
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    url, period = walk
    login(client, UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN))
    assert client.get(url, {**period, "zoom": 15, "bounds": WEST_PART}).status_code == 404


def test_the_range_query_with_bounds_is_served_by_the_supervisee_time_index(walk, monitored):
    from zhengtu.monitoring.tracks import Bounds, in_order_statements

    start = timezone.now() - dt.timedelta(days=30)
    statements = in_order_statements(
        monitored.supervisee.pk, start, timezone.now(), bounds=Bounds(27.9, 110.5, 28.0, 110.6)
    )
    assert len(statements) == 2  # the fixes inside, the times of those outside
    with connection.cursor() as cursor:
        for sql, params in statements:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Index" in plan and "Seq Scan" not in plan, plan
                assert "Sort" not in plan.replace("Sort Key", ""), plan  # in the index's order
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
                assert "USING INDEX monitoring_pos_supervisee (supervisee_id=? AND fix_time>? AND fix_time<?)" in plan
                assert "TEMP B-TREE" not in plan  # in the index's order: nothing sorted
