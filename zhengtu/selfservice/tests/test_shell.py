"""The app's shell: login lands on /app/, staff are turned away, the PWA files are served."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from zhengtu.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_supervisee_logs_in_and_lands_on_the_app(client, me, my_account) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("selfservice:login"), {"username": my_account.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/app/"
    page = client.get("/app/")
    assert page.status_code == 200
    text = page.content.decode()
    assert me.name in text
    assert 'class="tab-bar"' in text
    assert "sidebar" not in text
    assert 'name="viewport"' in text


def test_the_staff_login_sends_a_supervisee_to_the_app(client, my_account) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("accounts:login"), {"username": my_account.username, "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/app/"


def test_wrong_password_is_refused_in_chinese(client, my_account) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("selfservice:login"), {"username": my_account.username, "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码" in response.content.decode()


def test_staff_cannot_log_in_through_the_app(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("selfservice:login"), {"username": world.officer_a.username, "password": TEST_PASSWORD}
    )
    assert "工作人员" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_opening_the_app_get_a_chinese_403(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.get("/app/")
    assert response.status_code == 403
    assert "社区矫正对象" in response.content.decode()


def test_anonymous_is_sent_to_the_app_login(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/app/")
    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")


def test_manifest_and_service_worker(client, db) -> None:  # type: ignore[no-untyped-def]
    manifest = json.loads(client.get(reverse("selfservice:manifest")).content)
    assert manifest["start_url"] == "/app/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    worker = client.get(reverse("selfservice:service_worker"))
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/app/"
    body = worker.content.decode()
    assert "/app/offline/" in body
    assert "/static/selfservice/queue.js" in body
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
