"""Journey: an officer replays a walk on a phone (375 px); close up (zoom ≥ 15) the map asks only
for what it shows, and again when it is zoomed or moved past its margin."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session
from e2e.test_monitoring import _setup

pytestmark = pytest.mark.django_db(transaction=True)

HOME = (27.9083, 110.5939)


def _bounded(response: Any) -> bool:
    return "/api/v1/monitoring/tracks/" in response.url and "bounds=" in response.url


def _query(response: Any) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlparse(response.url).query).items()}


def test_a_close_up_track_on_a_phone_asks_for_what_the_screen_shows(
    browser: Any, live_server: Any, transactional_db: None, settings: Any
) -> None:
    from zhengtu.audit.models import AuditEntry
    from zhengtu.monitoring.models import Device, Position

    settings.ZHENGTU_MONITORING_TILES = "none"  # no tile server here: the map draws without a base layer
    data = _setup()
    device = Device.objects.get(identifier__endswith="13912345678")
    began = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=30)
    # 120 fixes 10 s apart, 5 m each, east along one street: 600 m, a close-up on a phone.
    Position.objects.bulk_create(
        Position(
            device=device,
            supervisee=data["person"],
            fix_time=began + dt.timedelta(seconds=10 * i),
            server_time=began + dt.timedelta(seconds=10 * i),
            latitude=HOME[0] + 0.00001 * (i % 2),
            longitude=HOME[1] + 0.00005 * i,
        )
        for i in range(120)
    )
    start = timezone.localtime(began - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 375, "height": 812}, is_mobile=True
    )
    base = live_server.url
    sign_in_with_session(context, base, data["officer"])
    page = context.new_page()
    # The first answer (the whole track) places the map; at the zoom that fits a 600-m walk on a
    # phone (≥ 15) it asks again, for the visible bounds only.
    with page.expect_response(_bounded) as first:
        page.goto(f"{base}/monitoring/track/{data['person'].pk}/?start={start}")
    asked = _query(first.value)
    assert first.value.status == 200 and float(asked["zoom"]) >= 15
    south, west, north, east = (float(value) for value in asked["bounds"].split(","))
    assert south < HOME[0] < north and west < HOME[1] + 0.003 < east
    expect(page.locator("#track-summary")).to_contain_text("120 个定位点")

    # Zoomed in: a new request for the new zoom's bounds, smaller than before.
    with page.expect_response(_bounded) as closer:
        page.click(".leaflet-control-zoom-in")
    zoomed = _query(closer.value)
    assert float(zoomed["zoom"]) == float(asked["zoom"]) + 1
    z_south, z_west, z_north, z_east = (float(value) for value in zoomed["bounds"].split(","))
    assert z_east - z_west < east - west
    expect(page.locator("#track-summary")).to_contain_text("120 个定位点")

    # Dragged west past the margin (a quarter of the screen): asked again, further east.
    box = page.locator("#track-map").bounding_box()
    assert box is not None
    with page.expect_response(_bounded) as moved:
        page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] / 2, steps=8)
        page.mouse.up()
    m_west = float(_query(moved.value)["bounds"].split(",")[1])
    assert m_west > z_west
    expect(page.locator("#track-summary")).to_contain_text("120 个定位点")

    # Playable, and nothing off the right edge.
    page.click("#track-play")
    expect(page.locator("#track-slider")).not_to_have_value("0")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # Each of those answers was audited with the bounds it covered.
    audited = AuditEntry.objects.filter(object_id=str(data["person"].pk), detail__what="location_track")
    assert sum(1 for entry in audited if entry.detail.get("bounds")) >= 3
    context.close()
