"""Browser journeys of the login: TOTP login through the real page, and enrolling a new authenticator."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def code_from_secret(base32_secret: str) -> str:
    return f"{totp(base64.b32decode(base32_secret), step=30, t0=0, digits=6):06d}"


def test_staff_log_in_with_password_and_totp_and_log_out(page: Any, live_server: Any, staff_with_totp: Any) -> None:
    from zhengtu.audit.models import Action, AuditEntry

    user, password, hex_key = staff_with_totp(full_name="李明")
    login(page, live_server.url, user.username, password, hex_key)
    assert page.url == f"{live_server.url}/"
    assert "欢迎，李明" in page.content()
    page.click('form[action="/accounts/logout/"] button')
    expect(page.locator("body")).to_contain_text("您已退出登录")
    assert "/accounts/login/" in page.url
    actions = list(AuditEntry.objects.filter(username=user.username).values_list("action", flat=True))
    assert Action.LOGIN in actions and Action.LOGOUT in actions


def test_a_wrong_code_keeps_the_person_on_the_login_page(page: Any, live_server: Any, staff_with_totp: Any) -> None:
    user, password, _hex_key = staff_with_totp()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.fill("input[name=otp_token]", "000000")
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("动态验证码错误或已过期")
    assert "/accounts/login/" in page.url


def test_new_staff_enrol_an_authenticator_from_the_secret_on_the_page(
    page: Any, live_server: Any, transactional_db: None
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengtu.audit.models import Action, AuditEntry
    from zhengtu.testing.factories import TEST_PASSWORD, UserFactory

    user = UserFactory(full_name="王芳")
    page.goto(f"{live_server.url}/tasks/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/enrol/**")
    assert page.locator(".qr svg").count() == 1
    secret = page.get_attribute("#totp-secret", "data-secret")
    assert secret
    page.fill("input[name=otp_token]", code_from_secret(secret))
    page.click("form.panel button[type=submit]")
    expect(page.locator("body")).to_contain_text("双因素登录已设置")
    assert page.url == f"{live_server.url}/tasks/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEntry.objects.filter(action=Action.OTP_ENROLLED, username=user.username).exists()
