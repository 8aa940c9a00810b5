"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Never downloads a browser: /usr/bin/chromium is launched directly.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZHENGTU_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-quic",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def live_server(live_server: Any) -> Iterator[Any]:
    """pytest-django's live server, stopped only once Chromium's connections to it are closed.

    With the in-memory SQLite test database the server's request threads share the test's connection, which
    allows it only while the live server runs. Chromium keeps HTTP/1.1 connections open; each is served by a
    thread that closes the shared connection when the browser hangs up. If the server stopped first, that close
    came from a thread no longer allowed to touch the connection: "DatabaseWrapper objects created in a thread
    can only be used in that same thread". So the browser (below) closes first, and here we wait for the
    request threads to finish before pytest-django stops the server.
    """
    yield live_server
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(live_server: Any, browser: Any) -> Any:
    """pytest-playwright's browser, started after (so closed before) the live server."""
    return browser


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", "accept_downloads": True}


@pytest.fixture
def staff_with_totp(transactional_db: None) -> Iterator[Any]:
    """Create a staff user with a confirmed TOTP device; yields (user, password, hex_key)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengtu.testing.factories import TEST_PASSWORD, UserFactory

    def make(**fields: Any) -> tuple[Any, str, str]:
        user = UserFactory(**fields)
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        return user, TEST_PASSWORD, device.key

    yield make


def current_totp(hex_key: str) -> str:
    from binascii import unhexlify

    from django_otp.oath import totp

    return f"{totp(unhexlify(hex_key), step=30, t0=0, digits=6, drift=0):06d}"


def login(page: Any, base_url: str, username: str, password: str, hex_key: str) -> None:
    """Log in through the real login page: username, password and the current TOTP code."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.fill("input[name=otp_token]", current_totp(hex_key))
    with page.expect_navigation():
        page.click("button[type=submit]")


def sign_in_with_session(context: Any, base_url: str, user: Any) -> None:
    """Give a browser context a verified staff session without typing (for journeys not about login)."""
    from urllib.parse import urlparse

    from django.conf import settings
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    host = urlparse(base_url).hostname
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
    )


def confirmed_phone(context: Any, base: str, supervisee: Any) -> None:
    """A browser already confirmed by a face check, logged in (for journeys not about sign-in)."""
    from urllib.parse import urlparse

    from django.conf import settings
    from django.test import Client

    from zhengtu.selfservice.services.devices import COOKIE
    from zhengtu.selfservice.tests.conftest import confirmed_browser

    client = Client()
    confirmed_browser(client, supervisee)
    host = urlparse(base).hostname
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": client.session.session_key, "domain": host, "path": "/"},
            {"name": COOKIE, "value": client.cookies[COOKIE].value, "domain": host, "path": "/"},
        ]
    )
