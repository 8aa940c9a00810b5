"""A month's track below zoom 15 (reduced in the query) is cut where the device was silent."""

import datetime as dt
import math

import pytest
from django.utils import timezone

from zhengtu.monitoring.tests.api.test_track_bounds import STEP, pieces, store
from zhengtu.monitoring.tests.conftest import HOME
from zhengtu.monitoring.tracks import METRES_PER_DEGREE, reduced_track

API = "/api/v1/monitoring"
FAR_NORTH = 0.05  # degrees: about 5.6 km, dozens of pixels even at zoom 10


def _month(client, login, world, monitored):  # type: ignore[no-untyped-def]
    end = timezone.now().replace(microsecond=0)
    start = end - dt.timedelta(days=30)
    login(client, world.bureau_a)
    period = {"start": start.isoformat(), "end": end.isoformat(), "crs": "wgs84"}
    return f"{API}/tracks/{monitored.supervisee.pk}/", period, start


@pytest.mark.parametrize("zoom", [10, 12, 14])
def test_a_six_hour_silence_is_two_lines_at_a_low_zoom(client, login, world, monitored, zoom):
    url, period, start = _month(client, login, world, monitored)
    walked = start + dt.timedelta(days=3, hours=9)
    store(monitored, walked, [(HOME[0], HOME[1] + STEP * i) for i in range(60)])
    # The device is off for six hours, then on again 5.6 km north.
    store(
        monitored,
        walked + dt.timedelta(hours=6, minutes=10),
        [(HOME[0] + FAR_NORTH, HOME[1] + STEP * i) for i in range(60)],
    )
    answer = client.get(url, {**period, "zoom": zoom, "encoding": "polyline"}).json()
    assert answer["fixes"] == 120
    lines = pieces(answer)
    assert len(lines) == 2  # no straight line across the six hours nobody knows about
    assert {lat for lat, _lon in lines[0]} == {round(HOME[0], 6)}
    assert {lat for lat, _lon in lines[1]} == {round(HOME[0] + FAR_NORTH, 6)}
    rows = client.get(url, {**period, "zoom": zoom}).json()
    assert rows["breaks"] == answer["breaks"]


def test_a_silence_shorter_than_the_hour_of_a_month_s_time_bucket_is_cut_too(monitored):
    """Twenty minutes off (the gap rule is ten) inside one hour, at a month's zoom 10: the fixes
    before and after share the hour, and the home cell is seen on both sides of the silence."""
    end = timezone.now().replace(microsecond=0)
    start = end - dt.timedelta(days=30)
    at = start + dt.timedelta(days=10)
    store(monitored, at, [(HOME[0], HOME[1])] * 12 + [(HOME[0] + FAR_NORTH, HOME[1])] * 6)
    store(monitored, at + dt.timedelta(minutes=23), [(HOME[0], HOME[1])] * 12)
    track = reduced_track(monitored.supervisee.pk, start, end, zoom=10)
    assert track.fixes == 30
    assert len(track.breaks) == 1
    before, after = track.breaks[0] - 1, track.breaks[0]
    assert track.latitudes[before] == pytest.approx(HOME[0] + FAR_NORTH)  # last seen up north…
    assert track.latitudes[after] == pytest.approx(HOME[0])  # …next seen at home, not walked there
    assert track.times[after] - track.times[before] > 20 * 60


def test_a_walk_out_and_back_without_silence_stays_one_line(client, login, world, monitored):
    """Two hours of fixes every 10 s, out 3 km east and back home: the home cell's first and
    last fix are an hour and more apart, yet the device never fell silent, so no cut."""
    url, period, start = _month(client, login, world, monitored)
    out = [(HOME[0], HOME[1] + 0.00005 * i) for i in range(360)]
    store(monitored, start + dt.timedelta(days=5, hours=8), [*([HOME] * 120), *out, *reversed(out), *([HOME] * 120)])
    for zoom in (10, 12, 14):
        answer = client.get(url, {**period, "zoom": zoom, "encoding": "polyline"}).json()
        assert answer["breaks"] == [] and len(pieces(answer)) == 1
        east = max(lon for _lat, lon in pieces(answer)[0])
        assert (east - HOME[1]) * METRES_PER_DEGREE * math.cos(math.radians(HOME[0])) > 1_500
