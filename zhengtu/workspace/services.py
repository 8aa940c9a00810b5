"""Notifying people. Domains call `notify`; channels beyond in-app plug in here later."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone

from .models import Notification

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def notify(recipients: Iterable[User | None], *, title: str, body: str = "", url: str = "", kind: str = "") -> int:
    rows = [
        Notification(recipient=user, title=title[:200], body=body, url=url[:300], kind=kind[:50])
        for user in {r for r in recipients if r is not None and r.is_active}
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def mark_read(*, user: User, notification_ids: Iterable[int]) -> int:
    return Notification.objects.filter(recipient=user, pk__in=list(notification_ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )
