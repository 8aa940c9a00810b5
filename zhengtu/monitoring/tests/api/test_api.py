"""/api/v1/monitoring/: scoped like the pages, writes through the services, Chinese errors."""

import datetime as dt

import pytest
from django.utils import timezone

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.monitoring.alerts import detect_offline
from zhengtu.monitoring.models import Alert, AlertStatus, Device, DeviceBinding, Fence
from zhengtu.monitoring.tests.conftest import COUNTY, HOME, location

API = "/api/v1/monitoring"


def test_devices_listed_created_and_scoped(client, login, world, monitored):
    login(client, world.bureau_a)
    listed = client.get(f"{API}/devices/").json()
    assert [d["identifier"] for d in listed["results"]] == ["013900000001"]
    created = client.post(
        f"{API}/devices/",
        {"identifier": "868120000000009", "kind": "wristband", "protocol": "gt06", "organisation": world.county_a.pk},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert Device.objects.filter(identifier="868120000000009").exists()
    duplicate = client.post(
        f"{API}/devices/",
        {"identifier": "868120000000009", "kind": "wristband", "protocol": "gt06", "organisation": world.county_a.pk},
        content_type="application/json",
    )
    assert duplicate.status_code == 400 and "identifier" in duplicate.json()["errors"]


def test_device_api_outsider(client, login, world, monitored):
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    login(client, UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN))
    assert client.get(f"{API}/devices/").json()["results"] == []
    assert client.get(f"{API}/devices/{monitored.wristband.pk}/").status_code == 404
    response = client.patch(f"{API}/devices/{monitored.wristband.pk}/", {"notes": "x"}, content_type="application/json")
    assert response.status_code == 404
    # Cannot register a device for an organisation outside their subtree.
    response = client.post(
        f"{API}/devices/",
        {"identifier": "1", "kind": "wristband", "protocol": "jt808", "organisation": world.county_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_officers_cannot_use_device_management(client, login, world, monitored):
    login(client, world.officer_a)
    assert client.get(f"{API}/devices/").status_code == 403


def test_bindings_create_and_unbind(client, login, world, monitored):
    login(client, world.bureau_a)
    response = client.post(
        f"{API}/bindings/{monitored.binding.pk}/unbind/", {"reason": "解除矫正"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["unbound_at"]
    now = timezone.now()
    response = client.post(
        f"{API}/bindings/",
        {
            "device": monitored.wristband.pk,
            "supervisee": monitored.supervisee.pk,
            "starts_at": now.isoformat(),
            "ends_at": (now - dt.timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "ends_at" in response.json()["errors"]
    assert DeviceBinding.objects.count() == 1


def test_bindings_outsider(client, login, world, monitored):
    login(client, world.officer_b)
    assert client.get(f"{API}/bindings/").status_code == 403
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    login(client, UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN))
    assert client.get(f"{API}/bindings/").json()["results"] == []
    assert (
        client.post(
            f"{API}/bindings/{monitored.binding.pk}/unbind/", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_fences_create_read_and_outsider(client, login, world, monitored):
    login(client, world.bureau_a)
    response = client.post(
        f"{API}/fences/",
        {
            "name": "学校",
            "kind": "exclusion",
            "shape": "polygon",
            "geometry": COUNTY,
            "organisation": world.county_a.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    bad = client.post(
        f"{API}/fences/",
        {"name": "圆", "kind": "exclusion", "shape": "circle", "organisation": world.county_a.pk, "radius_m": 1},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "radius_m" in bad.json()["errors"]
    login(client, world.officer_a)
    names = {f["name"] for f in client.get(f"{API}/fences/").json()["results"]}
    assert names == {"溆浦县", "学校"}
    login(client, world.officer_b)
    assert client.get(f"{API}/fences/").json()["results"] == []
    assert client.get(f"{API}/fences/{monitored.county_fence.pk}/").status_code == 404
    assert Fence.objects.count() == 2


def test_latest_positions_and_crs(client, login, world, monitored, processor):
    processor.process([location("013900000001", timezone.now(), *HOME)])
    login(client, world.officer_a)
    (row,) = client.get(f"{API}/positions/latest/").json()
    assert (row["latitude"], row["longitude"]) == (pytest.approx(HOME[0]), pytest.approx(HOME[1]))
    (shifted,) = client.get(f"{API}/positions/latest/", {"crs": "bd09"}).json()
    assert shifted["latitude"] != row["latitude"]
    assert client.get(f"{API}/positions/latest/", {"crs": "mars"}).status_code == 400
    login(client, world.officer_b)
    assert client.get(f"{API}/positions/latest/").json() == []


def test_track_api_is_audited_and_scoped(client, login, world, monitored, processor):
    now = timezone.now()
    processor.process([location("013900000001", now - dt.timedelta(minutes=5), *HOME)])
    login(client, world.officer_a)
    response = client.get(f"{API}/tracks/{monitored.supervisee.pk}/")
    assert response.status_code == 200 and response.json()["fixes"] == 1
    assert AuditEntry.objects.filter(action=Action.VIEW, object_id=str(monitored.supervisee.pk)).count() == 1
    login(client, world.officer_b)
    assert client.get(f"{API}/tracks/{monitored.supervisee.pk}/").status_code == 404


def test_alert_lifecycle_over_the_api(client, login, world, monitored, processor):
    processor.process([location("013900000001", timezone.now(), *HOME)])
    detect_offline(now=timezone.now() + dt.timedelta(hours=1))
    alert = Alert.objects.get()
    login(client, world.officer_a)
    assert [a["id"] for a in client.get(f"{API}/alerts/").json()["results"]] == [alert.pk]
    refused = client.post(f"{API}/alerts/{alert.pk}/close/", {}, content_type="application/json")
    assert refused.status_code == 400
    assert (
        client.post(f"{API}/alerts/{alert.pk}/acknowledge/", {}, content_type="application/json").json()["status"]
        == "acknowledged"
    )
    handled = client.post(
        f"{API}/alerts/{alert.pk}/handle/",
        {"handling_notes": "已联系", "actions_taken": "上门"},
        content_type="application/json",
    )
    assert handled.json()["status"] == "handled"
    assert (
        client.post(f"{API}/alerts/{alert.pk}/close/", {}, content_type="application/json").json()["status"] == "closed"
    )
    assert Alert.objects.get().status == AlertStatus.CLOSED


def test_alerts_outsider(client, login, world, monitored, processor):
    processor.process([location("013900000001", timezone.now(), *HOME)])
    detect_offline(now=timezone.now() + dt.timedelta(hours=1))
    alert = Alert.objects.get()
    login(client, world.officer_b)
    assert client.get(f"{API}/alerts/").json()["results"] == []
    assert client.get(f"{API}/alerts/{alert.pk}/").status_code == 404
    assert client.post(f"{API}/alerts/{alert.pk}/acknowledge/", {}, content_type="application/json").status_code == 404
