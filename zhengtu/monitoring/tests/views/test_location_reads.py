"""Issue 16 item 7: every read of where people are now is audited, like track playback."""

import asyncio

from django.test import AsyncClient
from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.monitoring.models import Alert, AlertKind
from zhengtu.monitoring.tests.conftest import HOME, location

from .test_live import _close_view_connections

API = "/api/v1/monitoring"


def _reads(what: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.VIEW, detail__what=what).order_by("sequence"))


def test_latest_positions_and_map_data_are_audited_with_the_people_shown(client, login, world, monitored, processor):
    processor.process([location("13900000001", timezone.now(), *HOME)])
    login(client, world.officer_a)
    assert client.get(f"{API}/positions/latest/").status_code == 200
    assert client.get(reverse("monitoring:map_data")).status_code == 200
    (api_read,) = _reads("latest_positions")
    (map_read,) = _reads("map_positions")
    for entry in (api_read, map_read):
        assert entry.username == world.officer_a.username
        assert entry.detail["supervisees"] == [monitored.supervisee.pk] and entry.detail["count"] == 1


def test_an_outsiders_empty_read_is_still_recorded_as_showing_nobody(client, login, world, monitored, processor):
    processor.process([location("13900000001", timezone.now(), *HOME)])
    login(client, world.officer_b)
    client.get(f"{API}/positions/latest/")
    (entry,) = _reads("latest_positions")
    assert entry.detail["supervisees"] == [] and entry.username == world.officer_b.username


def test_the_alert_page_and_its_api_detail_are_audited(client, login, world, monitored):
    alert = Alert.objects.create(
        kind=AlertKind.SOS,
        supervisee=monitored.supervisee,
        raised_at=timezone.now(),
        latitude=HOME[0],
        longitude=HOME[1],
    )
    login(client, world.officer_a)
    assert client.get(reverse("monitoring:alert_detail", args=[alert.pk])).status_code == 200
    assert client.get(f"{API}/alerts/{alert.pk}/").status_code == 200
    reads = _reads("alert")
    assert len(reads) == 2
    assert {e.object_id for e in reads} == {str(monitored.supervisee.pk)}
    assert {e.detail["alert"] for e in reads} == {alert.pk}


def test_opening_the_live_stream_is_audited_with_its_scope(transactional_db, client, login, world, monitored):
    login(client, world.officer_a)

    async def open_stream() -> None:
        async_client = AsyncClient()
        async_client.cookies = client.cookies
        response = await async_client.get(reverse("monitoring:live"))
        stream = response.streaming_content.__aiter__()
        await asyncio.wait_for(stream.__anext__(), 5)
        await stream.aclose()
        await _close_view_connections()

    asyncio.run(open_stream())
    (entry,) = _reads("live_stream")
    assert entry.username == world.officer_a.username
    assert entry.detail["supervisees"] == [monitored.supervisee.pk] and entry.detail["reason"] == "opened"
