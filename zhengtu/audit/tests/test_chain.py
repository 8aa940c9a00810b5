import pytest
from django.db import DatabaseError, connection, transaction

from zhengtu.audit.chain import ProblemKind, verify_chain
from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import GENESIS_HASH

from .helpers import raw_sql, write_entries


@pytest.mark.django_db
def test_an_untouched_chain_is_intact():
    entries = write_entries(5)
    assert entries[0].previous_hash == GENESIS_HASH
    assert [e.previous_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    report = verify_chain()
    assert report.intact
    assert (report.checked, report.first_sequence, report.last_sequence) == (5, 1, 5)


@pytest.mark.django_db
def test_an_empty_log_is_intact():
    assert verify_chain().intact


@pytest.mark.django_db
def test_an_entry_changed_by_raw_sql_is_found():
    entries = write_entries(5)
    raw_sql("UPDATE {table} SET username = %s WHERE id = %s", ["someone-else", entries[2].pk])
    report = verify_chain()
    assert report.problem.kind == ProblemKind.TAMPERED
    assert report.problem.sequence == 3
    assert report.checked == 2


@pytest.mark.django_db
def test_a_changed_detail_is_found():
    entries = write_entries(3)
    raw_sql("UPDATE {table} SET outcome = %s WHERE id = %s", ["failure", entries[0].pk])
    assert verify_chain().problem.sequence == 1


@pytest.mark.django_db
def test_an_entry_rewritten_with_its_own_hash_recomputed_breaks_the_next_link():
    entries = write_entries(4)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.username = "forger"
    raw_sql(
        "UPDATE {table} SET username = %s, entry_hash = %s WHERE id = %s", ["forger", forged.compute_hash(), forged.pk]
    )
    report = verify_chain()
    assert report.problem.kind == ProblemKind.BROKEN_LINK
    assert report.problem.sequence == 3


@pytest.mark.django_db
def test_a_deleted_middle_entry_is_reported_as_missing():
    entries = write_entries(6)
    raw_sql("DELETE FROM {table} WHERE id IN (%s, %s)", [entries[2].pk, entries[3].pk])
    report = verify_chain()
    assert report.problem.kind == ProblemKind.MISSING
    assert report.problem.params == {"first": 3, "last": 4, "count": 2}


@pytest.mark.django_db
def test_deleting_the_newest_entry_is_found_through_the_chain_head():
    entries = write_entries(3)
    raw_sql("DELETE FROM {table} WHERE id = %s", [entries[-1].pk])
    report = verify_chain()
    assert report.problem.kind == ProblemKind.MISSING_END
    assert report.problem.params == {"expected": 3}


@pytest.mark.django_db
def test_deleting_the_oldest_entries_without_a_purge_is_found():
    entries = write_entries(3)
    raw_sql("DELETE FROM {table} WHERE id = %s", [entries[0].pk])
    report = verify_chain()
    assert report.problem.kind == ProblemKind.MISSING_START
    assert report.problem.sequence == 2


@pytest.mark.django_db
def test_problem_messages_read_in_chinese_and_english():
    from django.utils import translation

    entries = write_entries(2)
    raw_sql("UPDATE {table} SET username = %s WHERE id = %s", ["x", entries[1].pk])
    problem = verify_chain().problem
    with translation.override("zh-hans"):
        assert "第 2 号记录已被篡改" in problem.message()
    with translation.override("en"):
        assert "Entry #2 has been altered" in problem.message()


@pytest.mark.django_db
def test_the_model_refuses_updates_and_deletes():
    entry = write_entries(1)[0]
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_on_postgresql_the_database_itself_refuses_updates_and_deletes():
    entry = write_entries(1)[0]
    for sql in (
        "UPDATE audit_auditentry SET username = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert verify_chain().intact
