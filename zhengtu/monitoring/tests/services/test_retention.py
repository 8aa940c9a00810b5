"""Positions over time: monthly partitions on PostgreSQL and the retention job on both databases."""

import datetime as dt

from django.db import connection
from django.utils import timezone

from zhengtu.monitoring.models import Position
from zhengtu.monitoring.retention import apply_retention, ensure_partitions, is_partitioned, month_start


def _position(device, when: dt.datetime) -> Position:
    return Position.objects.create(device=device, fix_time=when, server_time=when, latitude=27.9, longitude=110.6)


def test_month_arithmetic():
    assert month_start(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 1)
    assert month_start(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 1)


def test_positions_older_than_retention_are_removed(monitored, settings):
    settings.ZHENGTU_MONITORING_RETENTION_MONTHS = 24
    today = timezone.localdate()
    old = timezone.make_aware(dt.datetime.combine(month_start(today, -30), dt.time(12)))
    recent = timezone.now() - dt.timedelta(days=3)
    _position(monitored.wristband, old)
    keep = _position(monitored.wristband, recent)
    apply_retention(today=today)
    assert list(Position.objects.values_list("pk", flat=True)) == [keep.pk]


def test_postgresql_positions_are_partitioned_by_month(monitored):
    if connection.vendor != "postgresql":
        assert not is_partitioned() and ensure_partitions() == []
        return
    assert is_partitioned()
    today = timezone.localdate()
    ensure_partitions(today=today)
    name = f"monitoring_position_y{today.year:04d}m{today.month:02d}"
    _position(monitored.wristband, timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608
        assert cursor.fetchone()[0] == 1
    # A partition that is entirely older than the retention period is dropped whole.
    ancient = month_start(today, -40)
    ensure_partitions(today=ancient)
    apply_retention(today=today)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_class WHERE relname = %s",
            [f"monitoring_position_y{ancient.year:04d}m{ancient.month:02d}"],
        )
        assert cursor.fetchone() is None
    assert Position.objects.count() == 1
