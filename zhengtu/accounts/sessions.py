"""Is a session still what it was when a long-lived response (the live map stream) began?

A normal page is checked on every request by the middleware; a Server-Sent Events stream is one
request that may last hours, so it asks here every few seconds and closes when the answer is no:
logged out (session gone), idle too long, password changed elsewhere, account deactivated, or
role or organisation changed (the scope it was opened with no longer holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare

from .middleware import LAST_SEEN_KEY, idle_limit_seconds, now_timestamp
from .models import User


@dataclass(frozen=True)
class SessionSnapshot:
    session_key: str
    user_id: int
    role: str
    organisation_id: int | None
    is_superuser: bool


def snapshot_of(request: Any, user: User) -> SessionSnapshot | None:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key:
        return None
    return SessionSnapshot(
        session_key=session_key,
        user_id=user.pk,
        role=user.role,
        organisation_id=user.organisation_id,
        is_superuser=user.is_superuser,
    )


def session_still_valid(snapshot: SessionSnapshot) -> bool:
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=snapshot.session_key)
    data = store.load()  # empty when the session was deleted (logout) or expired
    if str(data.get(SESSION_KEY, "")) != str(snapshot.user_id):
        return False
    last_seen = data.get(LAST_SEEN_KEY)
    if last_seen is not None and now_timestamp() - float(last_seen) > idle_limit_seconds():
        return False
    user = User.objects.filter(pk=snapshot.user_id, is_active=True).first()
    if user is None:
        return False
    if not constant_time_compare(str(data.get(HASH_SESSION_KEY, "")), user.get_session_auth_hash()):
        return False
    return (user.role, user.organisation_id, user.is_superuser) == (
        snapshot.role,
        snapshot.organisation_id,
        snapshot.is_superuser,
    )
