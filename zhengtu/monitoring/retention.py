"""Positions over time: monthly partitions on PostgreSQL, and the retention job (both databases)."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.db import connection, transaction
from django.utils import timezone

from .models import Position
from .rules import rule

logger = logging.getLogger(__name__)
PARTITION_NAME = re.compile(r"^monitoring_position_y(\d{4})m(\d{2})$")


def month_start(day: dt.date, shift: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s",
            [Position._meta.db_table],
        )
        return cursor.fetchone() is not None


def ensure_partitions(*, today: dt.date | None = None) -> list[str]:
    """Create the monthly partitions from last month to PARTITION_MONTHS_AHEAD ahead (PostgreSQL)."""
    if not is_partitioned():
        return []
    today = today or timezone.localdate()
    created = []
    for shift in range(-1, int(rule("PARTITION_MONTHS_AHEAD")) + 1):
        start = month_start(today, shift)
        end = month_start(start, 1)
        name = f"monitoring_position_y{start.year:04d}m{start.month:02d}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s", [name])
            if cursor.fetchone():
                continue
            try:
                with transaction.atomic():
                    cursor.execute(
                        f"CREATE TABLE {name} PARTITION OF monitoring_position "  # noqa: S608 - name built from dates
                        f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
                    )
            except Exception:  # noqa: BLE001 - e.g. rows for that month already sit in the default partition
                logger.exception("Could not create partition %s", name)
                continue
        created.append(name)
    return created


def retention_cutoff(*, today: dt.date | None = None) -> dt.date:
    return month_start(today or timezone.localdate(), -int(rule("RETENTION_MONTHS")))


def apply_retention(*, today: dt.date | None = None) -> int:
    """Remove positions older than RETENTION_MONTHS: whole partitions on PostgreSQL, rows on SQLite."""
    cutoff = retention_cutoff(today=today)
    if is_partitioned():
        dropped = 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
                [Position._meta.db_table],
            )
            for (name,) in cursor.fetchall():
                match = PARTITION_NAME.match(name)
                if match and month_start(dt.date(int(match[1]), int(match[2]), 1), 1) <= cutoff:
                    cursor.execute(f"DROP TABLE {name}")  # noqa: S608 - name matched the partition pattern
                    logger.info("Dropped position partition %s", name)
                    dropped += 1
            limit = dt.datetime.combine(cutoff, dt.time(0), tzinfo=timezone.get_current_timezone())
            cursor.execute("DELETE FROM monitoring_position_default WHERE fix_time < %s", [limit])
        return dropped
    limit = dt.datetime.combine(cutoff, dt.time(0), tzinfo=timezone.get_current_timezone())
    deleted = 0
    while True:
        ids = list(Position.objects.filter(fix_time__lt=limit).values_list("pk", flat=True)[:5000])
        if not ids:
            return deleted
        deleted += Position.objects.filter(pk__in=ids).delete()[0]
