import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from zhengtu.audit.chain import verify_chain
from zhengtu.audit.models import Action, AuditEntry, AuditPurge

from .helpers import backdate_all, raw_sql, write_entries


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_verify_audit_reports_an_intact_log_in_chinese_and_english():
    write_entries(4)
    out, _err = run("verify_audit")
    assert "审计日志完整" in out and "已校验 4 条记录" in out
    assert "Audit log intact: 4 entries verified (sequence 1 to 4)" in out


@pytest.mark.django_db
def test_verify_audit_names_the_first_tampered_entry_and_exits_non_zero():
    entries = write_entries(5)
    raw_sql("UPDATE {table} SET object_id = %s WHERE id = %s", ["999", entries[3].pk])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    text = err.getvalue()
    assert "审计日志不完整" in text and "第 4 号记录已被篡改" in text
    assert "Entry #4 has been altered" in text


@pytest.mark.django_db
def test_verify_audit_reports_a_gap():
    entries = write_entries(5)
    raw_sql("DELETE FROM {table} WHERE id = %s", [entries[1].pk])
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_audit", stdout=io.StringIO(), stderr=err)
    assert "第 2 至 2 号记录缺失" in err.getvalue() or "Entry #2 is missing" in err.getvalue()


@pytest.mark.django_db
def test_purge_refuses_a_retention_below_the_legal_minimum():
    write_entries(2)
    with pytest.raises(CommandError) as error:
        run("purge_audit", "--days", "30")
    assert "至少须保存 183 天" in str(error.value)
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db
@override_settings(ZHENGTU_AUDIT_RETENTION_DAYS=100)
def test_purge_refuses_a_configured_retention_below_the_minimum_too():
    with pytest.raises(CommandError):
        run("purge_audit")


@pytest.mark.django_db
@override_settings(ZHENGTU_AUDIT_RETENTION_DAYS=365)
def test_purge_deletes_old_entries_and_the_rest_still_verifies():
    write_entries(4)
    backdate_all(400)
    write_entries(3, username="recent")
    assert verify_chain().intact
    dry_out, _ = run("purge_audit", "--dry-run")
    assert "4" in dry_out and AuditEntry.objects.count() == 7
    out, _ = run("purge_audit")
    assert "已删除 4 条" in out
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [5, 6, 7, 8]
    purge = AuditPurge.objects.get()
    assert (purge.through_sequence, purge.entry_count) == (4, 4)
    assert AuditEntry.objects.get(sequence=8).action == Action.PURGE
    report = verify_chain()
    assert report.intact and (report.first_sequence, report.last_sequence) == (5, 8)
    verify_out, _ = run("verify_audit")
    assert "审计日志完整" in verify_out
    # A second purge finds nothing more to delete.
    out, _ = run("purge_audit")
    assert "没有早于" in out


@pytest.mark.django_db
@override_settings(ZHENGTU_AUDIT_RETENTION_DAYS=365)
def test_after_a_purge_deleting_the_oldest_remaining_entry_is_still_found():
    write_entries(2)
    backdate_all(400)
    write_entries(2)
    run("purge_audit")
    oldest = AuditEntry.objects.order_by("sequence").first()
    raw_sql("DELETE FROM {table} WHERE id = %s", [oldest.pk])
    assert not verify_chain().intact


@pytest.mark.django_db
@override_settings(ZHENGTU_AUDIT_RETENTION_DAYS=365)
def test_purge_never_cuts_a_hole_in_the_middle_of_the_chain():
    from zhengtu.audit.models import ChainHead

    write_entries(2)
    backdate_all(400)  # entries 1-2: old
    write_entries(2)  # entries 3-4: young
    # Entry 4 carries a time far in the past, as from a server with a wrong clock.
    skewed = AuditEntry.objects.get(sequence=4)
    skewed.occurred_at -= dt.timedelta(days=500)
    raw_sql(
        "UPDATE {table} SET occurred_at = %s, entry_hash = %s WHERE id = %s",
        [skewed.occurred_at, skewed.compute_hash(), skewed.pk],
    )
    ChainHead.objects.filter(pk=1).update(last_hash=skewed.compute_hash())
    assert verify_chain().intact
    run("purge_audit")
    # Only the prefix 1-2 goes; the old-looking entry 4 stays behind the young entry 3.
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [3, 4, 5]
    assert verify_chain().intact
