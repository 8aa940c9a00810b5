"""Every monitoring page: what its users see, and 404/403 for everybody else."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import Action, AuditEntry
from zhengtu.monitoring.models import Alert, AlertKind, AlertStatus, Device, DeviceBinding, Fence, UnknownDevice
from zhengtu.monitoring.tests.conftest import HOME, location
from zhengtu.testing.factories import UserFactory


def test_map_shows_positions_fences_and_alerts_in_scope(client, login, world, monitored, processor):
    processor.process([location("013900000001", timezone.now() - dt.timedelta(seconds=10), *HOME)])
    login(client, world.officer_a)
    page = client.get(reverse("monitoring:map"))
    assert page.status_code == 200
    assert "leaflet.js" in page.content.decode()
    data = client.get(reverse("monitoring:map_data")).json()
    assert [p["supervisee_name"] for p in data["positions"]] == [monitored.supervisee.name]
    assert data["positions"][0]["point"] == [pytest.approx(HOME[0]), pytest.approx(HOME[1])]
    assert [f["name"] for f in data["fences"]] == ["溆浦县"]


def test_map_data_of_an_outsider_is_empty(client, login, world, monitored, processor):
    processor.process([location("013900000001", timezone.now(), *HOME)])
    login(client, world.officer_b)
    data = client.get(reverse("monitoring:map_data")).json()
    assert data["positions"] == [] and data["fences"] == [] and data["alerts"] == []


def test_gcj02_tiles_shift_the_displayed_points(client, login, world, monitored, processor, settings):
    settings.ZHENGTU_MONITORING_TILES = "amap"
    processor.process([location("013900000001", timezone.now(), *HOME)])
    login(client, world.officer_a)
    point = client.get(reverse("monitoring:map_data")).json()["positions"][0]["point"]
    assert point != [HOME[0], HOME[1]]
    assert abs(point[0] - HOME[0]) < 0.01 and abs(point[1] - HOME[1]) < 0.01


def test_social_workers_see_no_location_data(client, login, world, monitored):
    login(client, world.social_worker_a)
    assert client.get(reverse("monitoring:map")).status_code == 403
    assert client.get(reverse("monitoring:alerts")).status_code == 403


def test_track_page_asks_the_api_at_the_map_zoom_and_that_read_is_audited(client, login, world, monitored, processor):
    now = timezone.now()
    for minute in range(5):
        processor.process(
            [location("013900000001", now - dt.timedelta(minutes=10 - minute), HOME[0] + minute * 0.001, HOME[1])]
        )
    login(client, world.officer_a)
    url = reverse("monitoring:track", args=[monitored.supervisee.pk])
    page = client.get(url)  # the form only: nothing shown, nothing audited
    assert page.status_code == 200 and page.context["track_request"] is None
    assert not AuditEntry.objects.filter(action=Action.VIEW, object_id=str(monitored.supervisee.pk)).exists()
    start = timezone.localtime(now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = timezone.localtime(now + dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.get(url, {"start": start, "end": end})
    assert page.status_code == 200
    # The page carries no location itself: the map asks the API with the period, at its zoom.
    request = page.context["track_request"]
    assert request["url"] == f"/api/v1/monitoring/tracks/{monitored.supervisee.pk}/"
    assert "track-request" in page.content.decode() and str(HOME[0] + 0.001) not in page.content.decode()
    answer = client.get(
        request["url"],
        {"start": request["start"], "end": request["end"], "crs": request["crs"], "zoom": 14, "encoding": "polyline"},
    ).json()
    assert answer["fixes"] == 5 and answer["count"] >= 2
    entry = AuditEntry.objects.get(action=Action.VIEW, object_id=str(monitored.supervisee.pk))
    assert entry.detail["what"] == "location_track" and entry.detail["from"] == request["start"]


def test_track_of_someone_else_is_404(client, login, world, monitored):
    login(client, world.officer_b)
    response = client.get(reverse("monitoring:track", args=[monitored.supervisee.pk]), {"start": "2026-01-01T00:00"})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.VIEW).exists()


def test_track_with_a_bad_period_explains(client, login, world, monitored):
    login(client, world.officer_a)
    response = client.get(
        reverse("monitoring:track", args=[monitored.supervisee.pk]),
        {"start": "2026-03-05T10:00", "end": "2026-03-01T10:00"},
    )
    assert response.status_code == 200
    assert response.context["error"]
    assert response.context["track_request"] is None


def test_alert_lifecycle_through_the_pages(client, login, world, monitored, processor):
    from zhengtu.monitoring.alerts import detect_offline

    processor.process([location("013900000001", timezone.now(), *HOME)])
    detect_offline(now=timezone.now() + dt.timedelta(hours=1))
    alert = Alert.objects.get()
    login(client, world.officer_a)
    assert alert.supervisee.name in client.get(reverse("monitoring:alerts")).content.decode()
    action = lambda name: reverse("monitoring:alert_action", args=[alert.pk, name])  # noqa: E731
    # Handling before acknowledging is refused with a message; nothing changes.
    client.post(action("handle"), {"handling_notes": "x"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW
    client.post(action("acknowledge"), {"note": "在查"})
    response = client.post(action("handle"), {"handling_notes": "", "actions_taken": ""})
    assert response.status_code == 400  # notes are required
    client.post(action("handle"), {"handling_notes": "电话联系，手环没电", "actions_taken": "督促充电"})
    client.post(action("close"), {"note": ""})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert alert.handling_notes == "电话联系，手环没电" and alert.closed_by == world.officer_a
    steps = list(alert.events.order_by("id").values_list("action", flat=True))
    assert steps == ["raised", "acknowledged", "handled", "closed"]
    detail = client.get(reverse("monitoring:alert_detail", args=[alert.pk])).content.decode()
    assert "督促充电" in detail


def test_outsider_cannot_see_or_act_on_alerts(client, login, world, monitored, processor):
    from zhengtu.monitoring.alerts import detect_offline

    processor.process([location("013900000001", timezone.now(), *HOME)])
    detect_offline(now=timezone.now() + dt.timedelta(hours=1))
    alert = Alert.objects.get()
    login(client, world.officer_b)
    assert client.get(reverse("monitoring:alert_detail", args=[alert.pk])).status_code == 404
    assert client.post(reverse("monitoring:alert_action", args=[alert.pk, "acknowledge"])).status_code == 404
    assert alert.supervisee.name not in client.get(reverse("monitoring:alerts")).content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


def test_register_device_from_an_unknown_device(client, login, world, processor):
    processor.process([location("013911112222", timezone.now(), *HOME)])
    login(client, world.bureau_a)
    page = client.get(reverse("monitoring:unknown_devices")).content.decode()
    assert "013911112222" in page
    form = client.get(reverse("monitoring:device_create"), {"identifier": "013911112222", "protocol": "jt808"})
    assert form.context["form"].initial["identifier"] == "013911112222"
    response = client.post(
        reverse("monitoring:device_create"),
        {"identifier": "013911112222", "kind": "wristband", "protocol": "jt808", "organisation": world.county_a.pk},
    )
    device = Device.objects.get(identifier="013911112222")
    assert response.status_code == 302
    assert UnknownDevice.objects.get(identifier="013911112222").registered_device == device
    assert "013911112222" not in client.get(reverse("monitoring:unknown_devices")).content.decode()


def test_duplicate_device_is_refused_in_chinese(client, login, world, monitored):
    login(client, world.bureau_a)
    response = client.post(
        reverse("monitoring:device_create"),
        {"identifier": "013900000001", "kind": "wristband", "protocol": "jt808", "organisation": world.county_a.pk},
    )
    assert response.status_code == 200
    assert "已登记" in response.content.decode()


def test_bind_and_unbind_keep_history(client, login, world, monitored):
    login(client, world.bureau_a)
    url = reverse("monitoring:device_detail", args=[monitored.wristband.pk])
    response = client.post(reverse("monitoring:binding_unbind", args=[monitored.binding.pk]), {"reason": "设备更换"})
    assert response.status_code == 302
    monitored.binding.refresh_from_db()
    assert monitored.binding.unbound_at is not None and monitored.binding.unbind_reason == "设备更换"
    now = timezone.localtime()
    response = client.post(
        url,
        {
            "supervisee": monitored.supervisee.pk,
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + dt.timedelta(days=200)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400  # longer than the approved 3 months
    assert "3" in response.content.decode()
    client.post(
        url,
        {
            "supervisee": monitored.supervisee.pk,
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + dt.timedelta(days=80)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert DeviceBinding.objects.filter(device=monitored.wristband).count() == 2
    page = client.get(url).content.decode()
    assert "设备更换" in page


def test_device_pages_are_404_for_another_county(client, login, world, monitored):
    outsider = UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN)
    login(client, outsider)
    assert client.get(reverse("monitoring:device_detail", args=[monitored.wristband.pk])).status_code == 404
    assert (
        client.post(reverse("monitoring:binding_unbind", args=[monitored.binding.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert "013900000001" not in client.get(reverse("monitoring:devices")).content.decode()
    monitored.binding.refresh_from_db()
    assert monitored.binding.unbound_at is None


def test_officers_cannot_manage_devices(client, login, world, monitored):
    login(client, world.officer_a)
    assert client.get(reverse("monitoring:devices")).status_code == 403
    assert client.get(reverse("monitoring:fence_create")).status_code == 403


def test_draw_a_circle_fence_on_gcj02_tiles(client, login, world, monitored, settings):
    settings.ZHENGTU_MONITORING_TILES = "amap"
    from zhengtu.monitoring.coords import wgs84_to_gcj02

    login(client, world.bureau_a)
    shown = wgs84_to_gcj02(*HOME)
    response = client.post(
        reverse("monitoring:fence_create"),
        {
            "name": "居所",
            "kind": "inclusion",
            "shape": "circle",
            "organisation": world.county_a.pk,
            "supervisee": monitored.supervisee.pk,
            "center_latitude": shown[0],
            "center_longitude": shown[1],
            "radius_m": 150,
            "drawn_in": "gcj02",
            "active_from": "22:00",
            "active_until": "06:00",
            "weekdays": list("1234567"),
        },
    )
    assert response.status_code == 302
    fence = Fence.objects.get(name="居所")
    assert fence.center_latitude == pytest.approx(HOME[0], abs=1e-6)  # stored in WGS-84
    assert fence.active_from == dt.time(22, 0)


def test_import_geojson_fences_and_refuse_a_crossing_polygon(client, login, world):
    login(client, world.bureau_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "学校"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[110.59, 27.90], [110.60, 27.90], [110.60, 27.91], [110.59, 27.90]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"name": "被害人住所", "radius": 300},
                "geometry": {"type": "Point", "coordinates": [110.58, 27.92]},
            },
        ],
    }
    data = {"kind": "exclusion", "shape": "polygon", "organisation": world.county_a.pk, "weekdays": list("1234567")}
    upload = SimpleUploadedFile("fences.geojson", json.dumps(collection).encode(), content_type="application/geo+json")
    response = client.post(reverse("monitoring:fence_create"), {**data, "geojson_file": upload})
    assert response.status_code == 302
    assert set(Fence.objects.values_list("name", "shape")) == {("学校", "polygon"), ("被害人住所", "circle")}
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    upload = SimpleUploadedFile("bad.geojson", json.dumps(bowtie).encode())
    response = client.post(reverse("monitoring:fence_create"), {**data, "geojson_file": upload})
    assert response.status_code == 400
    assert "交叉" in response.content.decode()
    assert Fence.objects.count() == 2


def test_fence_of_another_county_is_404(client, login, world, monitored):
    login(client, world.officer_b)
    assert client.get(reverse("monitoring:fence_detail", args=[monitored.county_fence.pk])).status_code == 404


def test_alert_kinds_are_listed_in_chinese(client, login, world, monitored):
    Alert.objects.create(kind=AlertKind.SOS, supervisee=monitored.supervisee, raised_at=timezone.now())
    login(client, world.officer_a)
    assert "SOS" in client.get(reverse("monitoring:alerts")).content.decode()
