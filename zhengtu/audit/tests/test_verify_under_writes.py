"""`verify_audit` while the log is being written: it reads one snapshot, so no false alarm.

Before, the walk read the entries and then the head; an entry appended in between made the
head reach further than the walk and the check cried "entries after #N are missing".
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from zhengtu.audit.chain import ChainReport, verify_chain
from zhengtu.audit.models import Action, AuditEntry, ChainHead
from zhengtu.audit.services import GENESIS_HASH

from .helpers import write_entries

ALIAS = "audit_file_copy"
WRITES = 150


def _append_entry(using: str, number: int) -> None:
    """What record_event does, on the given database."""
    with transaction.atomic(using=using):
        head, _created = ChainHead.objects.using(using).select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            occurred_at=timezone.now(),
            username="writer",
            action=Action.VIEW,
            object_id=str(number),
            previous_hash=head.last_hash or GENESIS_HASH,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save(using=using)
        head.last_hash, head.last_sequence = entry.entry_hash, entry.sequence
        head.save(using=using, update_fields=["last_hash", "last_sequence"])


def _verify_while_writing(using: str, open_connection: Callable[[], None] = lambda: None) -> list[ChainReport]:
    failures: list[BaseException] = []

    def writer() -> None:
        open_connection()
        try:
            for number in range(WRITES):
                _append_entry(using, number)
        except BaseException as error:  # surfaced by the assertion below
            failures.append(error)
        finally:
            connections[using].close()

    thread = threading.Thread(target=writer)
    thread.start()
    reports = []
    while thread.is_alive():
        reports.append(verify_chain(chunk_size=7, using=using))
    thread.join()
    assert not failures, failures
    reports.append(verify_chain(using=using))
    return reports


@pytest.fixture
def file_database(transactional_db, tmp_path: Path) -> Iterator[Callable[[], None]]:  # type: ignore[no-untyped-def]
    """The embedded shape's database: a SQLite file in WAL mode, a copy of the (in-memory) test database.

    Returns the function that opens it under ALIAS in the calling thread (a connection per
    thread, as Django has them; created by hand because the alias is not in settings).
    """
    path = tmp_path / "audit.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")

    def open_connection() -> None:
        from django.db.backends.sqlite3.base import DatabaseWrapper

        connections[ALIAS] = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, ALIAS)

    open_connection()
    try:
        yield open_connection
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded shape's SQLite file")
def test_verify_on_sqlite_gives_no_false_alarm_while_entries_are_written(file_database):
    for number in range(20):
        _append_entry(ALIAS, number)
    reports = _verify_while_writing(ALIAS, file_database)
    broken = [report.problem.message() for report in reports if report.problem is not None]
    assert broken == []
    assert reports[-1].checked == 20 + WRITES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the scaled shape's PostgreSQL")
def test_verify_on_postgresql_gives_no_false_alarm_while_entries_are_written(transactional_db):
    write_entries(20)
    reports = _verify_while_writing("default")
    broken = [report.problem.message() for report in reports if report.problem is not None]
    assert broken == []
    assert reports[-1].checked == 20 + WRITES
