"""Bulk writes of the ingest writer, fast on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

_column_types: dict[tuple[str, tuple[str, ...]], list[int]] = {}


def append_rows(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Append rows to a table. PostgreSQL: COPY in binary, each row written by psycopg's C code
    (about 2 µs a row, where binding column arrays to one INSERT costs about 18 µs a row, because
    Django's psycopg cursors bind on the client and quote every array element in Python).
    SQLite: executemany."""
    if not rows:
        return
    quoted_table = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    if connection.vendor == "postgresql":
        types = _types_of(table, columns)
        statement = f"COPY {quoted_table} ({names}) FROM STDIN (FORMAT BINARY)"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:  # psycopg's cursor under Django's
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quoted_table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608


def _types_of(table: str, columns: tuple[str, ...]) -> list[int]:
    """The columns' type OIDs, read from the catalogue once (binary COPY must match them exactly)."""
    key = (table, columns)
    if key not in _column_types:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                [table],
            )
            found = {name: int(oid) for name, oid in cursor.fetchall()}
        _column_types[key] = [found[column] for column in columns]
    return _column_types[key]


def execute_rows(template: str, rows: list[tuple[Any, ...]], types: tuple[str, ...]) -> None:
    """Many rows in one go. SQLite: executemany (a loop in C). PostgreSQL: one statement reading
    column arrays through unnest(), so the query text stays the same whatever the row count; the
    arrays are bound on the server in binary (%b). Through Django's cursor, which binds on the
    client, every array element went through psycopg's text dumping and quoting in Python: ~28 µs
    of the writer's CPU a row (500 device states: 13–15 ms), a third of the ingest writer's CPU on
    PostgreSQL; in binary ~5 µs a row (2–2.7 ms)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            import psycopg

            source = "SELECT * FROM unnest(" + ", ".join(f"%b::{t}[]" for t in types) + ")"  # noqa: S608 - fixed types
            columns = [list(column) for column in zip(*rows, strict=True)]
            # A server-binding cursor on Django's connection: the same transaction and type adapters.
            with psycopg.Cursor(cursor.cursor.connection) as server_bound:
                server_bound.execute(template.format(source=source), columns)
        else:
            source = "VALUES (" + ", ".join(["%s"] * len(types)) + ")"
            cursor.executemany(template.format(source=source), rows)


def execute_prepared(sql: str, params: list[Any]) -> None:
    """PostgreSQL: one statement bound on the server (`%b`, binary), so that psycopg prepares it
    after a few executions and the server stops parsing and planning it on every batch."""
    import psycopg

    with connection.cursor() as cursor, psycopg.Cursor(cursor.cursor.connection) as server_bound:
        server_bound.execute(sql, params)


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


DRIFT_TYPES: tuple[str, ...] = ("int8", "int8", "timestamptz", "int8", "int8")
