"""Long tracks: reduced to the zoom, encoded compactly, the full resolution an audited export."""

import datetime as dt
import json

from django.utils import timezone

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.monitoring.models import Position
from zhengtu.monitoring.tests.conftest import HOME
from zhengtu.monitoring.tracks import decode_numbers, decode_polyline, encode_polyline

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
