"""Journey: a wristband reports an SOS through the real gateway; the officer sees it on the
command-center map, acknowledges, handles and closes it; a bureau administrator draws a curfew
fence on the map; the officer replays the day's track."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.audit.services import Actor
    from zhengtu.monitoring.models import DeviceKind, FenceKind, FenceShape, Protocol
    from zhengtu.monitoring.services import bind_device, create_fence, register_device
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.supervisees.models import Status
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    admin = UserFactory(organisation=county, role=Role.BUREAU_ADMIN, full_name="向建国")
    person = make_supervisee(office, name="王建华", responsible_officer=officer, status=Status.UNDER_SUPERVISION)
    actor = Actor(user=admin)
    wristband = register_device(
        actor=actor, identifier="13912345678", kind=DeviceKind.WRISTBAND, protocol=Protocol.JT808, organisation=county
    )
    now = timezone.now()
    bind_device(
        actor=actor,
        device=wristband,
        supervisee=person,
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=60),
    )
    ring = [[110.48, 27.81], [110.71, 27.81], [110.71, 28.01], [110.48, 28.01], [110.48, 27.81]]
    create_fence(
        actor=actor, organisation=county, name="溆浦县", kind=FenceKind.INCLUSION, shape=FenceShape.POLYGON,
        geometry={"type": "Polygon", "coordinates": [ring]},
    )  # fmt: skip
    return {"officer": officer, "admin": admin, "person": person}


def _report_sos_through_the_gateway() -> None:
    """Start the real gateway on an ephemeral port and send JT/T 808 location frames with the SOS bit."""
    from zhengtu.monitoring.gateway.servers import Gateway
    from zhengtu.monitoring.ingest import InProcessIngestor
    from zhengtu.monitoring.models import Device
    from zhengtu.monitoring.protocols.simulate import jt808_auth, jt808_location

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    ingestor = InProcessIngestor()
    gateway = Gateway(ingestor, host="127.0.0.1", ports={"jt808": 0})
    asyncio.run_coroutine_threadsafe(ingestor.start(), loop).result(10)
    asyncio.run_coroutine_threadsafe(gateway.start(), loop).result(10)
    try:
        now = timezone.now().replace(microsecond=0)
        code = Device.objects.get(identifier__endswith="13912345678").auth_code
        with socket.create_connection(("127.0.0.1", gateway.bound["jt808"]), timeout=10) as sock:
            sock.sendall(jt808_auth("13912345678", code, serial=1))  # authenticated before any data
            reply = b""
            while reply.count(b"\x7e") < 2:
                reply += sock.recv(1)
            for minute in range(5, 0, -1):
                frame = jt808_location(
                    "13912345678", now - dt.timedelta(minutes=minute), 27.9083 + minute * 0.0005, 110.5939,
                    serial=10 - minute, alarm_bits=1 if minute == 1 else 0,
                )  # fmt: skip
                sock.sendall(frame)
                reply = b""
                while reply.count(b"\x7e") < 2:
                    reply += sock.recv(1)
    finally:
        asyncio.run_coroutine_threadsafe(gateway.stop(), loop).result(10)
        asyncio.run_coroutine_threadsafe(ingestor.stop(), loop).result(40)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def test_sos_on_the_map_handled_and_closed_then_fence_and_track(
    browser: Any, live_server: Any, transactional_db: None, settings: Any
) -> None:
    from zhengtu.audit.models import Action, AuditEntry
    from zhengtu.monitoring.models import Alert, AlertKind, AlertStatus, Fence

    settings.ZHENGTU_MONITORING_TILES = "none"  # no tile server here: the map draws without a base layer
    data = _setup()
    _report_sos_through_the_gateway()
    alert = Alert.objects.get(kind=AlertKind.SOS)
    base = live_server.url

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(context, base, data["officer"])
    page = context.new_page()
    page.route("**/monitoring/live/", lambda route: route.abort())  # the WSGI test server cannot hold a stream
    page.goto(f"{base}/monitoring/")
    page.wait_for_selector("#alert-list li[data-id]")
    assert "王建华" in page.inner_text("#alert-list")
    assert "SOS" in page.inner_text("#alert-list")
    # The map is drawn (on a canvas): the county fence and the wristband's marker are in its data.
    assert page.locator("#monitoring-map canvas").count() >= 1  # the offline base map may draw its own
    assert "王建华" in page.inner_text("#people-list")

    page.click(f"#alert-list li[data-id='{alert.pk}'] a")
    page.fill("input[name=note]", "电话核实中")
    page.click("button:has-text('签收')")
    page.fill("textarea[name=handling_notes]", "已电话联系，系误触")
    page.fill("textarea[name=actions_taken]", "提醒正确使用手环")
    page.click("button:has-text('登记处置')")
    page.click("button:has-text('关闭预警')")
    page.wait_for_selector("text=预警已关闭")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED and alert.handling_notes == "已电话联系，系误触"

    start = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.goto(f"{base}/monitoring/track/{data['person'].pk}/?start={start}")
    # The map asks the track API itself, at its zoom, encoded (and again for the zoom it fits to).
    with page.expect_response(
        lambda r: "/api/v1/monitoring/tracks/" in r.url and "encoding=polyline" in r.url
    ) as asked:
        page.goto(f"{base}/monitoring/track/{data['person'].pk}/?start={start}")
    assert asked.value.status == 200 and "zoom=" in asked.value.url
    expect(page.locator("#track-summary")).to_contain_text("5 个定位点")
    page.wait_for_selector("#track-map canvas")
    page.click("#track-play")
    expect(page.locator("#track-slider")).not_to_have_value("0")  # no string evaluation: the CSP forbids eval
    assert AuditEntry.objects.filter(action=Action.VIEW, object_id=str(data["person"].pk)).exists()
    context.close()

    # The same track on an officer's phone (375 px): drawn, playable, nothing off the right edge.
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 375, "height": 812}, is_mobile=True
    )
    sign_in_with_session(context, base, data["officer"])
    page = context.new_page()
    page.goto(f"{base}/monitoring/track/{data['person'].pk}/?start={start}")
    expect(page.locator("#track-summary")).to_contain_text("5 个定位点")
    page.click("#track-play")
    expect(page.locator("#track-slider")).not_to_have_value("0")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(context, base, data["admin"])
    page = context.new_page()
    page.goto(f"{base}/monitoring/fences/new/")
    page.fill("input[name=name]", "王建华居所宵禁")
    page.select_option("select[name=shape]", "circle")
    page.select_option("select[name=supervisee]", str(data["person"].pk))
    box = page.locator("#fence-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.fill("input[name=radius_m]", "200")
    page.fill("input[name=active_from]", "22:00")
    page.fill("input[name=active_until]", "06:00")
    page.click("button:has-text('保存围栏')")
    page.wait_for_selector("text=围栏已保存")
    fence = Fence.objects.get(name="王建华居所宵禁")
    assert fence.shape == "circle" and fence.radius_m == 200 and fence.active_from == dt.time(22)
    context.close()
