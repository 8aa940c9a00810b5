"""Issue 16, low 16: a 200 MB body, even unauthenticated, is refused before anything reads or spools it."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from django.test import override_settings

from zhengtu.asgi import application
from zhengtu.core.bodylimit import _allowances, allow_larger_bodies, body_limit_for

MB = 1024 * 1024


def _call(headers: list[tuple[bytes, bytes]], chunks: list[bytes], path: str = "/accounts/login/") -> dict[str, Any]:
    sent: list[dict[str, Any]] = []
    reads = {"count": 0}
    queue = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1} for i, chunk in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        reads["count"] += 1
        if queue:
            return queue.pop(0)
        await asyncio.sleep(3600)  # the client would wait; the server must not
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

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
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(asyncio.wait_for(application(scope, receive, send), timeout=60))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return {"status": start["status"], "reads": reads["count"]}


def _spooled_files() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir() if p.is_file()}


def test_a_declared_200_mb_body_gets_413_without_a_byte_being_read() -> None:
    before = _spooled_files()
    result = _call([(b"content-length", str(200 * MB).encode()), (b"content-type", b"application/octet-stream")], [])
    assert result == {"status": 413, "reads": 0}
    assert _spooled_files() - before == set()


@override_settings(ZHENGTU_REQUEST_BODY_MAX_BYTES=2 * MB)
def test_a_body_without_a_length_is_cut_off_as_soon_as_it_passes_the_limit() -> None:
    chunks = [b"x" * MB] * 5  # would be 5 MB; refused after the third megabyte
    result = _call([(b"content-type", b"application/octet-stream")], chunks)
    assert result["status"] == 413 and result["reads"] <= 3


def test_a_path_with_an_allowance_takes_more(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_REQUEST_BODY_LIMITS = {"/education/videos/": 2048 * MB}
    assert body_limit_for("/education/videos/upload/") == 2048 * MB
    assert body_limit_for("/accounts/login/") == settings.ZHENGTU_REQUEST_BODY_MAX_BYTES
    allow_larger_bodies("/imports/big/", 100 * MB)
    try:
        assert body_limit_for("/imports/big/x") == 100 * MB
    finally:
        _allowances.pop("/imports/big/")


def test_an_ordinary_body_passes_through() -> None:
    result = _call([(b"content-length", b"3"), (b"content-type", b"application/x-www-form-urlencoded")], [b"a=1"])
    assert result["status"] != 413
