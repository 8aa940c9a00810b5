"""Notifying people. Domains call `notify`; channels beyond in-app plug in here later."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from django.utils import timezone

from .models import Notification

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


class Notice(NamedTuple):
    """One `notify` call's arguments, for `notify_many`."""

    recipients: Iterable[User | None]
    title: str
    body: str = ""
    url: str = ""
    kind: str = ""


def notify(recipients: Iterable[User | None], *, title: str, body: str = "", url: str = "", kind: str = "") -> int:
    return notify_many([Notice(recipients, title, body, url, kind)])


def notify_many(notices: Iterable[Notice]) -> int:
    """Several `notify` calls in one statement (the ingest writer's alerts of one batch: a round trip
    to the database per alert is what a busy writer on PostgreSQL cannot spare)."""
    rows = [
        Notification(recipient=user, title=n.title[:200], body=n.body, url=n.url[:300], kind=n.kind[:50])
        for n in notices
        for user in {r for r in n.recipients if r is not None and r.is_active}
    ]
    if rows:
        Notification.objects.bulk_create(rows)
    return len(rows)


def mark_read(*, user: User, notification_ids: Iterable[int]) -> int:
    return Notification.objects.filter(recipient=user, pk__in=list(notification_ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )
