"""Attacks on the audit chain by someone who can write to the database but holds no key file:
cut off the tail and move the head back, rewrite history with recomputed hashes, forge the
keying record, edit the checkpoint file; and the SQLite trigger."""

from __future__ import annotations

import hashlib
import importlib
import json

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from zhengtu.audit import keying
from zhengtu.audit.chain import ProblemKind, verify_chain
from zhengtu.audit.models import AuditEntry, ChainHead, ChainKeying
from zhengtu.audit.services import GENESIS_HASH, write_checkpoint
from zhengtu.audit.tasks import checkpoint_audit_chain

from .helpers import raw_sql, write_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoint_file(settings, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "audit" / "checkpoints.log"
    settings.ZHENGTU_AUDIT_CHECKPOINT_FILE = str(path)
    return path


def _unkeyed(entry: AuditEntry) -> str:
    encoded = json.dumps(entry.canonical_payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _rewrite_from(entries: list[AuditEntry], index: int, *, username: str) -> None:
    """The attacker's tool: change one entry, then recompute every later hash the old (unkeyed) way."""
    previous = entries[index - 1].entry_hash if index else GENESIS_HASH
    for position, entry in enumerate(entries[index:], start=index):
        if position == index:
            entry.username = username
        entry.previous_hash = previous
        entry.entry_hash = _unkeyed(entry)
        raw_sql(
            "UPDATE {table} SET username = %s, previous_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.username, entry.previous_hash, entry.entry_hash, entry.pk],
        )
        previous = entry.entry_hash
    ChainHead.objects.filter(pk=1).update(last_hash=previous)


def test_a_cut_off_tail_with_the_head_moved_back_is_found_through_the_checkpoint(checkpoint_file):
    entries = write_entries(10)
    assert checkpoint_audit_chain.call_local() == 10
    assert verify_chain().intact
    # Delete #8-#10 and make the head point at #7, as an attacker with SQL access would.
    raw_sql("DELETE FROM {table} WHERE sequence > %s", [7])
    ChainHead.objects.filter(pk=1).update(last_sequence=7, last_hash=entries[6].entry_hash)

    report = verify_chain()

    assert not report.intact
    assert report.problem is not None
    assert report.problem.kind == ProblemKind.MISSING_END
    assert report.problem.params["expected"] == 10
    assert "日志应记录至第 10 号" in report.problem.message()


def test_without_a_checkpoint_file_the_same_cut_would_pass(settings):
    """Why the checkpoints exist: the database alone cannot tell."""
    settings.ZHENGTU_AUDIT_CHECKPOINT_FILE = ""
    entries = write_entries(5)
    raw_sql("DELETE FROM {table} WHERE sequence > %s", [3])
    ChainHead.objects.filter(pk=1).update(last_sequence=3, last_hash=entries[2].entry_hash)
    assert verify_chain().intact


def test_history_rewritten_with_recomputed_unkeyed_hashes_is_found():
    entries = write_entries(6)
    _rewrite_from(entries, 2, username="nobody")

    report = verify_chain()

    assert report.problem is not None
    assert report.problem.kind == ProblemKind.TAMPERED
    assert report.problem.sequence == 3


def test_entries_are_hmac_keyed_with_the_key_outside_the_database(settings):
    entry = write_entries(1)[0]
    assert entry.entry_hash != _unkeyed(entry)
    settings.ZHENGTU_AUDIT_KEY = "another-key"
    report = verify_chain()
    assert report.problem is not None and report.problem.kind == ProblemKind.TAMPERED


def test_a_checkpoint_disagreeing_with_the_entry_is_reported(checkpoint_file):
    entries = write_entries(4)
    write_checkpoint()
    # A rewrite that even had the key would still differ from what the checkpoint remembers.
    entries[3].username = "changed"
    raw_sql(
        "UPDATE {table} SET username = %s, entry_hash = %s WHERE id = %s",
        ["changed", entries[3].compute_hash(), entries[3].pk],
    )
    ChainHead.objects.filter(pk=1).update(last_hash=entries[3].compute_hash())
    report = verify_chain()
    assert report.problem is not None and report.problem.kind == ProblemKind.CHECKPOINT_MISMATCH


def test_an_edited_checkpoint_line_is_reported(checkpoint_file):
    write_entries(3)
    write_checkpoint()
    line = json.loads(checkpoint_file.read_text())
    line["sequence"] = 2
    checkpoint_file.write_text(json.dumps(line) + "\n")
    report = verify_chain()
    assert report.problem is not None and report.problem.kind == ProblemKind.CHECKPOINT_FILE_ALTERED
    assert "第 1 行" in _in_chinese(report.problem.message)


def _in_chinese(message):  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("zh-hans"):
        return message()


def _re_anchor() -> None:
    migration = importlib.import_module("zhengtu.audit.migrations.0004_chain_keying")
    migration.re_anchor(apps, None)


def _make_legacy(entries: list[AuditEntry]) -> None:
    """Turn the chain into one written before the key existed: plain SHA-256 hashes."""
    _rewrite_from(entries, 0, username=entries[0].username)


def test_a_chain_written_before_the_key_is_re_anchored_and_keeps_verifying():
    old = write_entries(4)
    _make_legacy(old)
    assert not verify_chain().intact  # unkeyed entries without a keying record are refused

    _re_anchor()
    record = ChainKeying.objects.get()
    assert record.first_keyed_sequence == 5
    new = write_entries(2)
    assert new[0].previous_hash == old[-1].entry_hash
    report = verify_chain()
    assert report.intact, report.problem and report.problem.message()
    assert report.checked == 6


def test_rewriting_the_unkeyed_history_before_the_anchor_still_breaks_the_first_keyed_entry():
    old = write_entries(4)
    _make_legacy(old)
    _re_anchor()
    write_entries(2)
    _rewrite_from(old, 1, username="nobody")  # recomputes #2-#4 the old way; #5 cannot be recomputed
    report = verify_chain()
    assert report.problem is not None
    assert report.problem.kind == ProblemKind.BROKEN_LINK and report.problem.sequence == 5


def test_moving_the_keying_record_forward_is_found():
    entries = write_entries(5)
    _re_anchor()  # a chain with entries: the key "introduced" at #6
    record = ChainKeying.objects.get()
    # The attacker claims the key came only at #100 so that unkeyed rewrites of #1-#5 would pass.
    _rewrite_from(entries, 0, username="nobody")
    ChainKeying.objects.filter(pk=record.pk).update(first_keyed_sequence=100)
    report = verify_chain()
    assert report.problem is not None and report.problem.kind == ProblemKind.KEY_RECORD_FORGED


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite trigger")
def test_on_sqlite_the_database_refuses_updates_and_deletes(settings):
    settings.ZHENGTU_AUDIT_SQLITE_ALLOW_CHANGES = False
    entry = write_entries(1)[0]
    for sql in ("UPDATE {table} SET username = 'x' WHERE id = %s", "DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.replace("{table}", AuditEntry._meta.db_table), [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).username == entry.username


def test_the_checkpoint_job_can_also_send_the_head_to_the_bureau(checkpoint_file, settings, world):
    settings.ZHENGTU_AUDIT_CHECKPOINT_NOTIFY = True
    write_entries(3)
    assert checkpoint_audit_chain.call_local() == 3
    note = world.bureau_a.notifications.get()
    assert "第 3 号" in note.title
    assert keying.read_checkpoints().checkpoints[-1].sequence == 3
