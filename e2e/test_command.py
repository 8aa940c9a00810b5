"""Journey: the command-centre wall at 1920×1080 shows the map, counts and the alert queue; a new alert
arrives live on the monitoring event stream; a bar of the wall's chart drills to the list behind it;
a bar of the statistics page drills to its records. Screenshots of the wall go to test-results/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)
RESULTS = Path(__file__).resolve().parent.parent / "test-results"


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.audit.services import Actor
    from zhengtu.monitoring.alerts import raise_alert
    from zhengtu.monitoring.models import AlertKind, DeviceKind, DeviceState, Protocol
    from zhengtu.monitoring.services import bind_device, register_device
    from zhengtu.orgs.models import Division, OrganisationKind
    from zhengtu.supervisees.models import SentenceType, Status
    from zhengtu.supervision.models import CheckIn, CheckInChannel, CheckInKind
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    Division.objects.get_or_create(code="431224", defaults={"name": "溆浦县"})
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    county.division_id = "431224"
    county.save(update_fields=["division"])
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    office2 = make_org("桥江司法所", OrganisationKind.JUSTICE_OFFICE, county)
    centre = make_org("溆浦县社区矫正指挥中心", OrganisationKind.COMMAND_CENTER, county)
    duty = UserFactory(organisation=centre, role=Role.COMMAND_CENTER, full_name="值班员")
    admin = UserFactory(organisation=county, role=Role.BUREAU_ADMIN, full_name="向建国")
    people = []
    for index, (office_, kind) in enumerate(
        [(office, SentenceType.PROBATION), (office, SentenceType.PROBATION), (office, SentenceType.PAROLE),
         (office2, SentenceType.PROBATION), (office2, SentenceType.OUTSIDE_PRISON)]
    ):  # fmt: skip
        person = make_supervisee(office_, name=f"测试对象{index}", sentence_type=kind, status=Status.UNDER_SUPERVISION)
        people.append(person)
        CheckIn.objects.create(
            supervisee=person,
            kind=CheckInKind.CHECK_IN,
            channel=CheckInChannel.IN_PERSON,
            occurred_on=timezone.localdate(),
        )
    wearer = people[0]
    wristband = register_device(
        actor=Actor(user=admin), identifier="13912345678", kind=DeviceKind.WRISTBAND, protocol=Protocol.JT808,
        organisation=county,
    )  # fmt: skip
    now = timezone.now()
    bind_device(actor=Actor(user=admin), device=wristband, supervisee=wearer,
                starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=60))  # fmt: skip
    DeviceState.objects.update_or_create(
        device=wristband, defaults={"last_seen_at": now, "fix_time": now, "latitude": 27.9083, "longitude": 110.5939}
    )
    raise_alert(kind=AlertKind.LOW_BATTERY, supervisee_id=wearer.pk, supervisee_name=wearer.name, officer_id=None,
                latitude=27.9083, longitude=110.5939, detail="电量 15%")  # fmt: skip
    return {"duty": duty, "admin": admin, "people": people, "wearer": wearer}


def test_wall_live_alert_and_drill_down(browser: Any, live_server: Any, settings: Any) -> None:
    from zhengtu.monitoring.alerts import alert_event_payload, raise_alert
    from zhengtu.monitoring.models import AlertKind
    from zhengtu.monitoring.views.map import _sse

    settings.ZHENGTU_MONITORING_TILES = "none"  # the offline base map
    data = _setup()
    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1920, "height": 1080})
    sign_in_with_session(context, base, data["duty"])
    page = context.new_page()

    # pytest-django's live server is WSGI and cannot hold an event stream open, so the stream is served here:
    # each (re)connection gets the events waiting for it, in the exact format of monitoring's live view. The
    # stream ends after each answer, so the page reconnects: every 2 s, not in a storm that re-reads the wall
    # and keeps the page too busy to answer the test.
    waiting: list[str] = []

    def stream(route: Any) -> None:
        body = "retry: 2000\n: connected\n\n" + "".join(waiting)
        waiting.clear()
        route.fulfill(status=200, headers={"Content-Type": "text/event-stream; charset=utf-8"}, body=body)

    page.route("**/monitoring/live/", stream)
    page.goto(f"{base}/command/wall/")
    page.wait_for_selector("#alert-queue li[data-id]")
    page.wait_for_selector("#tiles-status .tile")
    assert "低电量" in page.inner_text("#alert-queue") or "电量" in page.inner_text("#alert-queue")
    under = page.locator("#tiles-status .tile[data-key=under_supervision] b")
    assert under.inner_text() == "5"
    page.wait_for_selector(".offline-basemap path.leaflet-interactive, .offline-basemap svg path")  # boundaries drawn
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "command-wall-1920x1080.png"))

    # A new SOS is raised (as the ingest writer would) and pushed on the stream.
    person = data["people"][3]
    sos = raise_alert(kind=AlertKind.SOS, supervisee_id=person.pk, supervisee_name=person.name, officer_id=None,
                      latitude=27.95, longitude=110.62, detail="SOS 按键")  # fmt: skip
    waiting.append(_sse(alert_event_payload(sos, person.name), "wgs84"))
    page.wait_for_selector(f"body[data-last-live-alert='{sos.pk}']")
    page.wait_for_selector(f"#alert-queue li[data-id='{sos.pk}']")
    assert person.name in page.inner_text("#alert-queue")
    assert page.inner_text("#alert-count") == "2"
    # Its detail shows where it happened on a map.
    page.click(f"#alert-queue li[data-id='{sos.pk}']")
    page.wait_for_selector("#alert-detail-map[data-point='27.95,110.62']")
    assert page.get_attribute("#alert-detail-link", "href") == f"/monitoring/alerts/{sos.pk}/"
    page.screenshot(path=str(RESULTS / "command-wall-1920x1080-live-alert.png"))

    # The chart's "probation" bar drills to the registry list filtered the same way.
    page.wait_for_selector("#type-chart svg")
    point = page.evaluate(
        """() => { const c = echarts.getInstanceByDom(document.getElementById('type-chart'));
                   const p = c.convertToPixel({seriesIndex: 0}, [1, 1]);
                   const r = document.getElementById('type-chart').getBoundingClientRect();
                   return [r.left + p[0], r.top + p[1]]; }"""
    )
    page.mouse.click(point[0], point[1] - 2)
    page.wait_for_url("**/supervisees/?status=under_supervision&sentence_type=probation")
    rows = page.inner_text("main")
    assert "测试对象0" in rows and "测试对象3" in rows and "测试对象2" not in rows
    context.close()

    # 4K: the same wall, readable (sizes follow the viewport).
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 3840, "height": 2160})
    sign_in_with_session(context, base, data["duty"])
    page = context.new_page()
    page.route("**/monitoring/live/", stream)
    page.goto(f"{base}/command/wall/")
    page.wait_for_selector("#tiles-status .tile")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#tiles-status .tile b')).fontSize)")
    assert size >= 60  # about 3.2vh: 69 px on a 2160-line screen
    page.screenshot(path=str(RESULTS / "command-wall-3840x2160.png"))
    context.close()


def test_statistics_bar_drills_to_the_records(browser: Any, live_server: Any) -> None:
    data = _setup()
    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900})
    sign_in_with_session(context, base, data["admin"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/command/statistics/")
    page.wait_for_selector("[data-chart]")
    assert not errors, errors
    chart = "[data-chart='registry.in_register_by_type']"
    page.wait_for_selector(f"{chart} svg")
    point = page.evaluate(
        """(selector) => { const el = document.querySelector(selector); const c = echarts.getInstanceByDom(el);
                   const opt = c.getOption(); const idx = opt.series.findIndex(s => s.name === '缓刑');
                   const cat = opt.xAxis[0].data.indexOf('卢峰司法所');
                   const p = c.convertToPixel({seriesIndex: idx}, [cat, 1]); const r = el.getBoundingClientRect();
                   return [r.left + p[0], r.top + p[1]]; }""",
        chart,
    )
    page.mouse.click(point[0], point[1] - 2)
    page.wait_for_url("**/command/statistics/records/**")
    assert page.inner_text("#records-count") == "2"
    text = page.inner_text("main")
    assert "测试对象0" in text and "测试对象1" in text and "测试对象3" not in text
    context.close()
