"""Long tracks: reduced to the zoom, encoded compactly, the full resolution an audited export."""

import datetime as dt
import itertools
import json
import math

import numpy as np
import pytest
from django.utils import timezone

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.monitoring.models import Position
from zhengtu.monitoring.tests.conftest import HOME
from zhengtu.monitoring.tracks import (
    METRES_PER_DEGREE,
    decode_numbers,
    decode_polyline,
    encode_array,
    encode_numbers,
    encode_polyline,
    encode_polyline_array,
    metres_per_pixel,
)

API = "/api/v1/monitoring"


def fill_day(monitored, start: dt.datetime) -> int:  # type: ignore[no-untyped-def]
    """A day at one fix a minute: the night at home (jitter of a few metres), a walk in town."""
    rows = []
    for minute in range(24 * 60):
        if 8 * 60 <= minute < 10 * 60:  # a two-hour walk north-east and back
            step = minute - 8 * 60 if minute < 9 * 60 else 10 * 60 - minute
            lat, lon = HOME[0] + step * 0.0002, HOME[1] + step * 0.0002
        else:
            lat, lon = HOME[0] + (minute % 3) * 0.00001, HOME[1] + (minute % 5) * 0.00001
        when = start + dt.timedelta(minutes=minute)
        rows.append(
            Position(
                device=monitored.wristband,
                supervisee=monitored.supervisee,
                fix_time=when,
                server_time=when,
                latitude=lat,
                longitude=lon,
            )
        )
    Position.objects.bulk_create(rows)
    return len(rows)


def test_polyline_round_trip():
    points = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]
    assert encode_polyline(points, precision=5) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"  # Google's example
    assert decode_polyline(encode_polyline(points)) == points


def test_a_zoomed_track_is_reduced_and_encoded_and_the_full_one_is_an_export(client, login, world, monitored):
    start = (timezone.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    stored = fill_day(monitored, start)
    login(client, world.bureau_a)
    period = {"start": start.isoformat(), "end": (start + dt.timedelta(days=1)).isoformat(), "crs": "wgs84"}
    url = f"{API}/tracks/{monitored.supervisee.pk}/"

    full = client.get(url, {**period, "resolution": "full"}).json()
    assert full["fixes"] == stored and len(full["points"]) == stored and not full["simplified"]
    zoomed = client.get(url, {**period, "zoom": 15, "encoding": "polyline"}).json()
    assert zoomed["fixes"] == stored and zoomed["simplified"]
    path = decode_polyline(zoomed["polyline"])
    assert len(path) == zoomed["count"] < stored // 10  # the night at home is a few points
    # The walk's far end is still on the map, and the times add up to the last fix.
    assert max(lat for lat, _lon in path) > HOME[0] + 0.011
    offsets = decode_numbers(zoomed["times"])
    first = dt.datetime.fromisoformat(zoomed["start"])
    assert first + dt.timedelta(seconds=sum(offsets)) == start + dt.timedelta(minutes=24 * 60 - 1)
    assert len(json.dumps(zoomed)) * 20 < len(json.dumps(full))

    entries = AuditEntry.objects.filter(object_id=str(monitored.supervisee.pk), detail__what__startswith="location")
    assert {(e.action, e.detail["what"]) for e in entries} == {
        (Action.EXPORT, "location_track_export"),
        (Action.VIEW, "location_track"),
    }
    assert client.get(url, {**period, "zoom": "far"}).status_code == 400


def test_an_outsider_gets_no_track(client, login, world, monitored):
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    login(client, UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN))
    response = client.get(f"{API}/tracks/{monitored.supervisee.pk}/", {"zoom": 12, "resolution": "full"})
    assert response.status_code == 404


def _reduced(client, url, period, zoom):  # type: ignore[no-untyped-def]
    answer = client.get(url, {**period, "zoom": zoom, "encoding": "polyline"}).json()
    path = decode_polyline(answer["polyline"])
    first = dt.datetime.fromisoformat(answer["start"])
    seconds = list(itertools.accumulate(decode_numbers(answer["times"])))
    return answer, path, [first + dt.timedelta(seconds=s) for s in seconds]


def _distances_to_line_m(points, line):  # type: ignore[no-untyped-def]
    """Metres from each (lat, lon) point to the polyline `line` (local plane)."""
    scale = np.array([METRES_PER_DEGREE, METRES_PER_DEGREE * math.cos(math.radians(HOME[0]))])
    p = np.asarray(points) * scale
    a, b = np.asarray(line[:-1]) * scale, np.asarray(line[1:]) * scale
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-12)
    t = np.clip(((p[:, None, :] - a[None]) * ab[None]).sum(axis=2) / length2[None], 0, 1)
    nearest = a[None] + t[..., None] * ab[None]
    return np.sqrt(((p[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


@pytest.mark.parametrize("zoom", [12, 15])
def test_the_reduced_track_keeps_both_ends_and_stays_within_two_pixels_of_every_fix(
    client, login, world, monitored, zoom
):
    start = (timezone.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    fill_day(monitored, start)
    # An afternoon walk of its own: 20 minutes east, with a fix every 10 s.
    afternoon = start + dt.timedelta(hours=15)
    Position.objects.bulk_create(
        Position(
            device=monitored.wristband,
            supervisee=monitored.supervisee,
            fix_time=afternoon + dt.timedelta(seconds=10 * i),
            server_time=afternoon,
            latitude=HOME[0] + 0.00002 * (i % 7),
            longitude=HOME[1] + 0.00005 * i,
        )
        for i in range(120)
    )
    login(client, world.bureau_a)
    period = {"start": start.isoformat(), "end": (start + dt.timedelta(days=1)).isoformat(), "crs": "wgs84"}
    url = f"{API}/tracks/{monitored.supervisee.pk}/"
    answer, path, times = _reduced(client, url, period, zoom)
    fixes = list(Position.objects.order_by("fix_time").values_list("fix_time", "latitude", "longitude"))
    assert answer["fixes"] == len(fixes) == 24 * 60 + 120
    assert answer["count"] == len(path) == len(times) < len(fixes) // 4
    # The first and the last fix, exactly as stored, with their times.
    assert times[0] == fixes[0][0] and path[0] == (round(fixes[0][1], 6), round(fixes[0][2], 6))
    assert times[-1] == fixes[-1][0] and path[-1] == (round(fixes[-1][1], 6), round(fixes[-1][2], 6))
    assert times == sorted(times)
    # Every stored fix lies within about two pixels of the line the map draws at that zoom.
    pixel = metres_per_pixel(zoom, HOME[0])
    distances = _distances_to_line_m([(lat, lon) for _t, lat, lon in fixes], path)
    assert distances.max() <= 2.5 * pixel
    # The walk out and back: its far end is on the map, in the morning, and back home after it.
    far = max(range(len(path)), key=lambda i: path[i][0])
    assert path[far][0] > HOME[0] + 0.011
    assert start + dt.timedelta(hours=8) < times[far] < start + dt.timedelta(hours=10)
    assert any(abs(lat - HOME[0]) < 0.001 for lat, _lon in path[far:])


def test_a_fix_that_arrives_late_shows_up_on_the_next_request(client, login, world, monitored):
    start = (timezone.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    fill_day(monitored, start)
    login(client, world.bureau_a)
    period = {"start": start.isoformat(), "end": (start + dt.timedelta(days=1)).isoformat(), "crs": "wgs84"}
    url = f"{API}/tracks/{monitored.supervisee.pk}/"
    before, path, _times = _reduced(client, url, period, 13)
    assert all(lon < HOME[1] + 0.02 for _lat, lon in path)
    # A wristband back from a blind area sends the fix it took at 03:00, 3 km east, a day late.
    late = start + dt.timedelta(hours=3, seconds=30)
    Position.objects.create(
        device=monitored.wristband,
        supervisee=monitored.supervisee,
        fix_time=late,
        server_time=timezone.now(),
        latitude=HOME[0],
        longitude=HOME[1] + 0.03,
    )
    after, path, times = _reduced(client, url, period, 13)
    assert after["fixes"] == before["fixes"] + 1
    shown = [t for t, (_lat, lon) in zip(times, path, strict=True) if lon > HOME[1] + 0.02]
    assert shown == [late]


def test_the_full_export_is_every_fix_in_order_and_audited_as_an_export(client, login, world, monitored):
    start = (timezone.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    fill_day(monitored, start)
    login(client, world.bureau_a)
    period = {"start": start.isoformat(), "end": (start + dt.timedelta(days=1)).isoformat(), "crs": "wgs84"}
    full = client.get(f"{API}/tracks/{monitored.supervisee.pk}/", {**period, "resolution": "full"}).json()
    stored = list(Position.objects.order_by("fix_time").values_list("fix_time", "latitude", "longitude"))
    assert [(dt.datetime.fromisoformat(t), lat, lon) for lat, lon, t, _speed in full["points"]] == [
        (t, round(lat, 7), round(lon, 7)) for t, lat, lon in stored
    ]
    entry = AuditEntry.objects.get(action=Action.EXPORT, object_id=str(monitored.supervisee.pk))
    assert entry.detail["what"] == "location_track_export" and entry.detail["fixes"] == len(stored)


def test_an_empty_period_is_an_empty_track(client, login, world, monitored):
    login(client, world.bureau_a)
    start = timezone.now() - dt.timedelta(days=3)
    answer = client.get(
        f"{API}/tracks/{monitored.supervisee.pk}/",
        {
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=1)).isoformat(),
            "zoom": 12,
            "encoding": "polyline",
        },
    ).json()
    assert answer["fixes"] == 0 and answer["count"] == 0 and answer["polyline"] == ""


def test_numpy_encoding_matches_the_reference_encoder():
    values = [0, 1, -1, 31, 32, -32, 1023, -1024, 2**40, -(2**40), 123456789]
    assert encode_array(np.array(values)) == encode_numbers(values)
    points = [(27.9083, 110.5939), (27.90831, 110.59395), (-33.86, 151.21), (0.0, -0.000001)]
    lats, lons = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    assert encode_polyline_array(lats, lons) == encode_polyline(points)


@pytest.mark.parametrize("crs", ["gcj02", "bd09", "wgs84"])
def test_display_coordinates_of_a_whole_track_match_the_point_by_point_formulas(crs):
    from zhengtu.monitoring.coords import to_display, to_display_arrays

    points = [(27.9083, 110.5939), (39.9042, 116.4074), (22.3193, 114.1694), (48.8566, 2.3522), (-33.86, 151.21)]
    lats, lons = to_display_arrays(np.array([p[0] for p in points]), np.array([p[1] for p in points]), crs)
    for (lat, lon), shown_lat, shown_lon in zip(points, lats.tolist(), lons.tolist(), strict=True):
        expected = to_display(lat, lon, crs)
        assert abs(shown_lat - expected[0]) < 1e-9 and abs(shown_lon - expected[1]) < 1e-9
