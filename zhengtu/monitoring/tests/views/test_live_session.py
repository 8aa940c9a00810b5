"""Issue 16 item 6: the live stream re-checks its session and closes after logout, idle timeout,
deactivation or a change of role or organisation, instead of sending positions for ever."""

import asyncio
import json
from collections.abc import Callable

import pytest
from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.db import SessionStore
from django.test import AsyncClient
from django.urls import reverse

from zhengtu.accounts.middleware import LAST_SEEN_KEY
from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.monitoring.live import bus

from .test_live import _close_view_connections


def _position(monitored) -> dict:  # type: ignore[no-untyped-def]
    return {
        "type": "position",
        "supervisee_id": monitored.supervisee.pk,
        "supervisee_name": monitored.supervisee.name,
        "latitude": 27.9,
        "longitude": 110.6,
    }


async def _stream_after(cookies, monitored, change: Callable[[], None]) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the stream, see a position, make the change, then read until the stream ends."""
    client = AsyncClient()
    client.cookies = cookies
    response = await client.get(reverse("monitoring:live"))
    assert response.status_code == 200
    stream = response.streaming_content.__aiter__()
    await asyncio.wait_for(stream.__anext__(), 5)  # connected
    bus.publish([_position(monitored)])
    first = await asyncio.wait_for(stream.__anext__(), 5)
    assert (first.decode() if isinstance(first, bytes) else first).startswith("event: position")
    await sync_to_async(change)()
    chunks: list[str] = []
    try:
        for _ in range(50):
            await asyncio.sleep(0.05)  # positions keep coming, spread over several re-check periods
            bus.publish([_position(monitored)])
            chunk = await asyncio.wait_for(stream.__anext__(), 5)
            chunks.append(chunk.decode() if isinstance(chunk, bytes) else chunk)
    except StopAsyncIteration:
        pass
    await stream.aclose()
    await _close_view_connections()
    return chunks


def _session_key(client) -> str:  # type: ignore[no-untyped-def]
    return client.cookies["sessionid"].value


@pytest.fixture
def quick_recheck(settings):  # type: ignore[no-untyped-def]
    settings.ZHENGTU_LIVE_SESSION_RECHECK_SECONDS = 0.2


def _ends_with_close(chunks: list[str]) -> bool:
    return bool(chunks) and chunks[-1].startswith("event: closed") and len(chunks) < 50


@pytest.mark.parametrize(
    "change",
    ["logout", "idle", "deactivated", "new_role", "new_organisation"],
)
def test_the_stream_closes_when_the_session_no_longer_holds(
    change, quick_recheck, transactional_db, client, login, world, monitored
):
    login(client, world.officer_a)
    key = _session_key(client)
    user_id = world.officer_a.pk

    def apply() -> None:
        if change == "logout":
            SessionStore(session_key=key).delete()
        elif change == "idle":
            session = SessionStore(session_key=key)
            session[LAST_SEEN_KEY] = 0.0
            session.save()
        elif change == "deactivated":
            User.objects.filter(pk=user_id).update(is_active=False)
        elif change == "new_role":
            User.objects.filter(pk=user_id).update(role=Role.SOCIAL_WORKER)
        else:
            User.objects.filter(pk=user_id).update(organisation=world.office_b)

    chunks = asyncio.run(_stream_after(client.cookies, monitored, apply))
    assert _ends_with_close(chunks), chunks[-3:]
    positions_after = [c for c in chunks if c.startswith("event: position")]
    # At most what was already on its way before the next check (0.2 s here).
    assert len(positions_after) < 50
    json.loads(chunks[-1].split("data: ", 1)[1])


def test_an_unchanged_session_keeps_streaming(quick_recheck, transactional_db, client, login, world, monitored):
    login(client, world.officer_a)

    async def read() -> list[str]:
        async_client = AsyncClient()
        async_client.cookies = client.cookies
        response = await async_client.get(reverse("monitoring:live"))
        stream = response.streaming_content.__aiter__()
        await asyncio.wait_for(stream.__anext__(), 5)
        chunks = []
        for _ in range(3):
            await asyncio.sleep(0.3)  # let a re-check happen between positions
            bus.publish([_position(monitored)])
            while True:
                chunk = await asyncio.wait_for(stream.__anext__(), 5)
                text = chunk.decode() if isinstance(chunk, bytes) else chunk
                if not text.startswith(":"):
                    chunks.append(text)
                    break
        await stream.aclose()
        await _close_view_connections()
        return chunks

    chunks = asyncio.run(read())
    assert [c.split("\n", 1)[0] for c in chunks] == ["event: position"] * 3
