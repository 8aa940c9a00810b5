"""Bulk writes of the ingest writer, fast on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection


def execute_rows(template: str, rows: list[tuple[Any, ...]], types: tuple[str, ...]) -> None:
    """Many rows in one go. SQLite: executemany (a loop in C). PostgreSQL: one statement reading
    column arrays through unnest(), so the query text stays the same whatever the row count."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            source = "SELECT * FROM unnest(" + ", ".join(f"%s::{t}[]" for t in types) + ")"  # noqa: S608 - fixed types
            cursor.execute(template.format(source=source), [list(column) for column in zip(*rows, strict=True)])
        else:
            source = "VALUES (" + ", ".join(["%s"] * len(types)) + ")"
            cursor.executemany(template.format(source=source), rows)


POSITION_TYPES: tuple[str, ...] = (
    ("int8", "int8", "timestamptz", "timestamptz") + ("float8",) * 6 + ("int2", "int2", "text")
)
STATE_TYPES: tuple[str, ...] = (
    "int8",
    "timestamptz",
    "timestamptz",
    "float8",
    "float8",
    "float8",
    "float8",
    "int2",
    "text",
)


def sqlite_datetime(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime (naive UTC text), without its overhead."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.isoformat(" ")[:-6]  # drop "+00:00"
