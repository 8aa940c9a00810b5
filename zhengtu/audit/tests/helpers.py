"""Test helpers: write a few entries, and tamper with the table the way an attacker with SQL access would."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.db import connection
from django.utils import timezone

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.audit.services import Actor, record_event

TABLE = AuditEntry._meta.db_table


def write_entries(count: int, *, username: str = "clerk") -> list[AuditEntry]:
    return [
        record_event(Actor(username=username, ip_address="10.0.0.1"), action=Action.VIEW, object_id=str(i))
        for i in range(count)
    ]


@contextlib.contextmanager
def trigger_disabled() -> Iterator[None]:
    """On PostgreSQL the append-only trigger refuses raw changes; an attacker owning the table could disable it."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditentry_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_auditentry_append_only")


def raw_sql(sql: str, params: list[object]) -> None:
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", TABLE), params)


def backdate_all(days: int) -> None:
    """Move existing entries into the past (as if written `days` ago), keeping the chain valid.

    occurred_at is part of each hash, so the entries are rewritten with recomputed hashes, as
    they would have been had they been recorded then.
    """
    from zhengtu.audit.models import ChainHead
    from zhengtu.audit.services import GENESIS_HASH

    previous = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("sequence"):
        entry.occurred_at = entry.occurred_at - dt.timedelta(days=days)
        entry.previous_hash = previous
        entry.entry_hash = entry.compute_hash()
        raw_sql(
            "UPDATE {table} SET occurred_at = %s, previous_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.occurred_at, entry.previous_hash, entry.entry_hash, entry.pk],
        )
        previous = entry.entry_hash
    ChainHead.objects.filter(pk=1).update(last_hash=previous)
    assert timezone.now() - AuditEntry.objects.order_by("sequence").first().occurred_at >= dt.timedelta(days=days)
