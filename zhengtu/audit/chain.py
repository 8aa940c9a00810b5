"""Checking the audit chain: every entry's hash, every link, no gap, nothing cut off at either end.

The whole check reads one consistent snapshot of the log (a read-only REPEATABLE READ
transaction on PostgreSQL, a read transaction on SQLite in WAL mode), so entries written while
it runs are simply not seen: no false alarm about "missing" entries under traffic. The signed
checkpoints in the file outside the database (keying.py) catch a tail cut off together with
the head moved back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import keying
from .models import AuditEntry, AuditPurge, ChainHead, ChainKeying
from .services import GENESIS_HASH


class ProblemKind:
    TAMPERED = "tampered"
    BROKEN_LINK = "broken_link"
    MISSING = "missing"
    MISSING_START = "missing_start"
    MISSING_END = "missing_end"
    KEY_RECORD_FORGED = "key_record_forged"
    CHECKPOINT_FILE_ALTERED = "checkpoint_file_altered"
    CHECKPOINT_MISMATCH = "checkpoint_mismatch"


@dataclass(frozen=True)
class ChainProblem:
    kind: str
    sequence: int
    params: dict[str, int] = field(default_factory=dict)

    def message(self) -> str:
        """In the active language (the verify command prints it in Chinese and English)."""
        values: dict[str, Any] = {"sequence": self.sequence, **self.params}
        if self.kind == ProblemKind.TAMPERED:
            return _("Entry #%(sequence)d has been altered: its content no longer matches its hash.") % values
        if self.kind == ProblemKind.BROKEN_LINK:
            return (
                _("Entry #%(sequence)d does not link to the entry before it: an earlier entry was altered or replaced.")
                % values
            )
        if self.kind == ProblemKind.MISSING:
            return (
                ngettext(
                    "Entry #%(first)d is missing.",
                    "Entries #%(first)d to #%(last)d are missing (%(count)d entries).",
                    values["count"],
                )
                % values
            )
        if self.kind == ProblemKind.MISSING_START:
            return (
                _(
                    "The entries before #%(sequence)d are missing and no retention purge accounts for them "
                    "(or the first remaining entry was altered)."
                )
                % values
            )
        if self.kind == ProblemKind.KEY_RECORD_FORGED:
            return (
                _(
                    "The record saying the audit key was introduced at entry #%(sequence)d is not signed with the "
                    "configured key: it was forged, or a different key is configured."
                )
                % values
            )
        if self.kind == ProblemKind.CHECKPOINT_FILE_ALTERED:
            return (
                _("Line %(sequence)d of the audit checkpoint file has been altered: its signature does not match.")
                % values
            )
        if self.kind == ProblemKind.CHECKPOINT_MISMATCH:
            return (
                _(
                    "Entry #%(sequence)d differs from the checkpoint written outside the database: "
                    "history was rewritten."
                )
                % values
            )
        return _("Entries after #%(sequence)d are missing: the log should reach #%(expected)d.") % values


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_sequence: int | None
    last_sequence: int | None
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(*, chunk_size: int = 2000, using: str = DEFAULT_DB_ALIAS) -> ChainReport:
    """Walk the log in sequence order, recomputing hashes; stop at the first problem."""
    checkpoint_file = keying.read_checkpoints()
    if checkpoint_file.bad_line is not None:
        return ChainReport(0, None, None, ChainProblem(ProblemKind.CHECKPOINT_FILE_ALTERED, checkpoint_file.bad_line))
    with read_snapshot(using):
        return _walk(chunk_size, checkpoint_file.checkpoints, using)


@contextlib.contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Every query inside sees the same committed state of the log, however long the walk takes."""
    connection = connections[using]
    if connection.in_atomic_block:
        # Already inside a transaction (a test, a caller's own): it defines what is visible.
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # A deferred BEGIN: the first read fixes the snapshot (WAL) without taking the write lock,
        # which transaction.atomic() would do under the embedded shape's IMMEDIATE mode.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    yield


def _first_keyed_sequence(using: str) -> tuple[int, ChainProblem | None]:
    """Entries from this sequence on are HMAC-keyed; without a signed record, all of them are."""
    record = ChainKeying.objects.using(using).order_by("first_keyed_sequence").first()
    if record is None:
        return 1, None
    if not record.signature_is_valid():
        return 1, ChainProblem(ProblemKind.KEY_RECORD_FORGED, record.first_keyed_sequence)
    return record.first_keyed_sequence, None


def _walk(chunk_size: int, checkpoints: list[keying.Checkpoint], using: str) -> ChainReport:
    first_keyed, problem = _first_keyed_sequence(using)
    if problem is not None:
        return ChainReport(0, None, None, problem)
    expected_hashes: dict[int, set[str]] = {}
    for checkpoint in checkpoints:
        expected_hashes.setdefault(checkpoint.sequence, set()).add(checkpoint.entry_hash)
    checked = 0
    first: int | None = None
    previous: AuditEntry | None = None
    for entry in AuditEntry.objects.using(using).order_by("sequence").iterator(chunk_size=chunk_size):
        problem = _check_link(entry, previous, using)
        if problem is None and entry.compute_hash(keyed=entry.sequence >= first_keyed) != entry.entry_hash:
            problem = ChainProblem(ProblemKind.TAMPERED, entry.sequence)
        if (
            problem is None
            and entry.sequence in expected_hashes
            and expected_hashes[entry.sequence] != {entry.entry_hash}
        ):
            problem = ChainProblem(ProblemKind.CHECKPOINT_MISMATCH, entry.sequence)
        if problem is not None:
            return ChainReport(checked, first, previous.sequence if previous else None, problem)
        if first is None:
            first = entry.sequence
        checked += 1
        previous = entry
    problem = _check_end(previous, max(expected_hashes, default=0), using)
    return ChainReport(checked, first, previous.sequence if previous else None, problem)


def _check_link(entry: AuditEntry, previous: AuditEntry | None, using: str) -> ChainProblem | None:
    if previous is None:
        return _check_start(entry, using)
    if entry.sequence != previous.sequence + 1:
        first_missing, last_missing = previous.sequence + 1, entry.sequence - 1
        return ChainProblem(
            ProblemKind.MISSING,
            first_missing,
            {"first": first_missing, "last": last_missing, "count": last_missing - first_missing + 1},
        )
    if entry.previous_hash != previous.entry_hash:
        return ChainProblem(ProblemKind.BROKEN_LINK, entry.sequence)
    return None


def _check_start(entry: AuditEntry, using: str) -> ChainProblem | None:
    if entry.sequence == 1:
        if entry.previous_hash != GENESIS_HASH:
            return ChainProblem(ProblemKind.BROKEN_LINK, entry.sequence)
        return None
    purge = AuditPurge.objects.using(using).filter(through_sequence=entry.sequence - 1).first()
    if purge is None or purge.last_hash != entry.previous_hash:
        return ChainProblem(ProblemKind.MISSING_START, entry.sequence)
    return None


def _check_end(last: AuditEntry | None, checkpointed: int, using: str) -> ChainProblem | None:
    head = ChainHead.objects.using(using).filter(pk=1).first()
    # The head can be moved back in the database; the checkpoints outside it cannot.
    expected = max(head.last_sequence if head else 0, checkpointed)
    reached = last.sequence if last else 0
    if last is None and expected == 0:
        return None
    if reached < expected:
        return ChainProblem(ProblemKind.MISSING_END, reached, {"expected": expected})
    if last is not None and head is not None and head.last_hash != last.entry_hash:
        # The newest entry was rewritten together with its own hash: only the head remembers.
        return ChainProblem(ProblemKind.TAMPERED, last.sequence)
    return None
