"""The supervisee's phone app in Chromium at 375×812, with Chromium's fake camera (a Y4M file made from a
public-domain face) and a fake geolocation: log in (face check on the new phone), check in, see it accepted; the
officer sees the similarity; another face is flagged; a refused camera is explained; a report written offline is
sent when the network returns."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from e2e.conftest import CHROMIUM, confirmed_phone, sign_in_with_session

PHONE = {"width": 375, "height": 812}
HOME = {"latitude": 27.9087, "longitude": 110.5960, "accuracy": 20}


def write_y4m(face: bytes, path: Path, *, frames: int = 3) -> Path:
    """A 640×480 YUV4MPEG2 (4:2:0) clip of a still face, the format Chromium's fake camera reads."""
    with Image.open(io.BytesIO(face)) as source:
        picture = source.convert("RGB")
        picture.thumbnail((640, 480))
        canvas = Image.new("RGB", (640, 480), (120, 120, 120))
        canvas.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    y, cb, cr = canvas.convert("YCbCr").split()
    chroma = [plane.resize((320, 240)).tobytes() for plane in (cb, cr)]
    frame = b"FRAME\n" + y.tobytes() + chroma[0] + chroma[1]
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n" + frame * frames)
    return path


def launch(browser_type: Any, *extra: str) -> Any:
    return browser_type.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", *extra],
    )


def fake_camera(y4m: Path) -> tuple[str, ...]:
    return (
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
    )


def phone_context(browser: Any, base: str) -> Any:
    return browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        geolocation=HOME,
        permissions=["geolocation"],
        base_url=base,
        is_mobile=True,
        has_touch=True,
    )


def _setup() -> dict[str, Any]:
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.selfservice.tests.conftest import app_account, under_supervision, with_registry_photo
    from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    officer = UserFactory(organisation=office, role=Role.OFFICE_OFFICER, full_name="舒志勇")
    person = with_registry_photo(
        under_supervision(
            make_supervisee(office, name="王建华", responsible_officer=officer, term_start=dt.date(2026, 3, 2))
        )
    )
    account = app_account(person, username="wangjianhua")
    return {"officer": officer, "person": person, "account": account}


def test_check_in_with_the_right_face_is_accepted_and_the_officer_sees_the_score(
    browser: Any, browser_type: Any, live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    from zhengtu.faces import samples
    from zhengtu.selfservice.models import AppCheckIn, CheckInStatus
    from zhengtu.testing.factories import TEST_PASSWORD

    data = _setup()
    base = live_server.url
    phone_browser = launch(browser_type, *fake_camera(write_y4m(samples.first_person_variant(), tmp_path / "me.y4m")))
    try:
        context = phone_context(phone_browser, base)
        page = context.new_page()
        page.goto("/app/login/")
        page.fill("input[name=username]", data["account"].username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("button[type=submit]")
        # A new phone: the face check at sign-in.
        page.wait_for_url("**/app/device/**")
        page.wait_for_selector("#verify-button:not([disabled])")
        page.click("#verify-button")
        page.wait_for_url(f"{base}/app/")
        page.wait_for_selector("text=待办事项")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("nav.tab-bar a").count() >= 3
        # Check in.
        page.click("nav.tab-bar >> text=报到")
        page.wait_for_selector("#location-status >> text=已定位")
        page.wait_for_selector("#checkin-button:not([disabled])")
        box = page.locator("#checkin-button").bounding_box()
        assert box is not None and box["height"] >= 48
        page.click("#checkin-button")
        page.wait_for_url("**/app/checkin/*/")
        page.wait_for_selector("#checkin-result >> text=已通过")
        context.close()
    finally:
        phone_browser.close()
    check_in = AppCheckIn.objects.get()
    assert check_in.status == CheckInStatus.ACCEPTED
    assert abs(check_in.latitude - HOME["latitude"]) < 1e-6

    officer_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(officer_context, base, data["officer"])
    officer = officer_context.new_page()
    officer.goto(f"{base}/supervision/supervisees/{data['person'].pk}/")
    cell = officer.wait_for_selector(f"#app-panel tr[data-check-in='{check_in.pk}'] .similarity")
    assert f"{check_in.face_check.similarity_percent}%" in cell.inner_text()
    officer_context.close()


def test_another_face_is_flagged_for_the_officer(
    browser: Any, browser_type: Any, live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    from zhengtu.faces import samples
    from zhengtu.selfservice.models import AppCheckIn, CheckInStatus

    data = _setup()
    base = live_server.url
    phone_browser = launch(browser_type, *fake_camera(write_y4m(samples.second_person(), tmp_path / "other.y4m")))
    try:
        context = phone_context(phone_browser, base)
        confirmed_phone(context, base, data["person"])
        page = context.new_page()
        page.goto("/app/checkin/")
        page.wait_for_selector("#checkin-button:not([disabled])")
        page.click("#checkin-button")
        page.wait_for_url("**/app/checkin/*/")
        page.wait_for_selector("#checkin-result >> text=待工作人员核实")
        assert "人脸与登记照片不一致" in page.inner_text("#checkin-result")
        context.close()
    finally:
        phone_browser.close()
    check_in = AppCheckIn.objects.get()
    assert check_in.status == CheckInStatus.FLAGGED

    officer_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(officer_context, base, data["officer"])
    officer = officer_context.new_page()
    officer.goto(f"{base}/tasks/")
    officer.click(f"a[href='/app-staff/check-ins/{check_in.pk}/']")
    officer.wait_for_selector("#similarity")
    officer.fill("input[name=reason]", "已电话核实本人")
    officer.click("form.panel button[type=submit]")
    officer.wait_for_selector("#status >> text=工作人员核实后通过")
    officer_context.close()


def test_a_refused_camera_is_explained_and_the_check_in_cannot_go_on(
    browser_type: Any, live_server: Any, transactional_db: None
) -> None:
    data = _setup()
    base = live_server.url
    phone_browser = launch(browser_type, "--use-fake-device-for-media-stream", "--deny-permission-prompts")
    try:
        context = phone_context(phone_browser, base)
        confirmed_phone(context, base, data["person"])
        page = context.new_page()
        page.goto("/app/checkin/")
        problem = page.wait_for_selector("[data-camera-problem]:not([hidden])")
        assert "摄像头被禁止使用" in problem.inner_text()
        assert page.locator("#checkin-button").is_disabled()
        context.close()
    finally:
        phone_browser.close()


def test_a_report_written_offline_is_sent_when_the_network_returns(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    from zhengtu.selfservice.models import WrittenReport

    data = _setup()
    base = live_server.url
    context = phone_context(browser, base)
    confirmed_phone(context, base, data["person"])
    page = context.new_page()
    page.goto("/app/reports/")
    page.wait_for_selector("#report-form")
    context.set_offline(True)
    page.fill("textarea[name=text]", "本周在工地上班，按时回家。")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-form .form-result >> text=已保存在手机上")
    page.wait_for_selector("#outbox-status >> text=1 条记录等待发送")
    assert not WrittenReport.objects.exists()
    context.set_offline(False)
    page.wait_for_selector("#outbox-status >> text=已发送 1 条记录", timeout=40000)
    report = WrittenReport.objects.get()
    assert report.text == "本周在工地上班，按时回家。"
    context.close()


@pytest.fixture(autouse=True)
def _face_rules(settings: Any) -> None:
    settings.ZHENGTU_WEBPUSH_ALLOW_LOCAL_HTTP = True
