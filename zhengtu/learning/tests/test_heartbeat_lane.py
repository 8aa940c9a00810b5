"""Heartbeats through the ASGI application as the server runs it: the sync lane (zhengtu/core/synclane.py) keeps
the session login, the CSRF check and the security headers of every other request."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengtu.core.synclane import close_lane_connections, takes_lane

from ..models import StudySession
from ..services.study import start_session

pytestmark = pytest.mark.usefixtures("transactional_db")


def _post(path: str, body: dict[str, Any], *, cookie: str, csrf: str | None) -> tuple[int, dict[str, str], bytes]:
    from zhengtu.asgi import application

    raw = json.dumps(body).encode()
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json"), (b"content-length", b"%d" % len(raw))]
    headers.append((b"cookie", cookie.encode()))
    if csrf:
        headers.append((b"x-csrftoken", csrf.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    assert takes_lane(scope)
    answer: dict[str, Any] = {"body": b""}
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        else:
            answer["body"] += message.get("body", b"")

    try:
        asyncio.run(application(scope, receive, send))
    finally:
        close_lane_connections()
    return answer["status"], answer["headers"], answer["body"]


def _signed_in(lw: Any) -> str:
    client = Client()
    client.force_login(lw.person_user)
    return client.cookies["sessionid"].value


def test_a_heartbeat_through_the_server_counts_with_session_and_csrf(lw, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_face_checks_per_hour": 0}
    session = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.text_lesson)
    csrf = "c" * 32
    path = reverse("api-learning-heartbeat", args=[session.pk])
    beat = {"visible": True, "seconds": 0}
    status, headers, body = _post(path, beat, cookie=f"sessionid={_signed_in(lw)}; csrftoken={csrf}", csrf=csrf)
    assert status == 200, body
    assert json.loads(body)["state"] == "counting"
    assert "content-security-policy" in headers and headers["cache-control"] == "private, no-store"
    assert StudySession.objects.get(pk=session.pk).last_beat_at > session.last_beat_at


def test_a_heartbeat_without_csrf_or_login_is_refused_through_the_server(lw) -> None:  # type: ignore[no-untyped-def]
    session = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.text_lesson)
    path = reverse("api-learning-heartbeat", args=[session.pk])
    beat = {"visible": True, "seconds": 0}
    no_csrf, _headers, _body = _post(path, beat, cookie=f"sessionid={_signed_in(lw)}", csrf=None)
    anonymous, _headers, _body = _post(path, beat, cookie="csrftoken=" + "c" * 32, csrf="c" * 32)
    assert no_csrf == 403
    assert anonymous in (401, 403)
    assert StudySession.objects.get(pk=session.pk).last_beat_at == session.last_beat_at
