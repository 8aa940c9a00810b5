import pytest

from zhengtu.audit.tasks import check_audit_chain
from zhengtu.testing.factories import UserFactory

from .helpers import raw_sql, write_entries


@pytest.mark.django_db
def test_the_nightly_check_tells_system_administrators_when_the_chain_is_broken():
    root = UserFactory(is_superuser=True, role="", organisation=None)
    entries = write_entries(3)
    assert check_audit_chain.call_local() is True
    assert not root.notifications.exists()
    raw_sql("UPDATE {table} SET username = %s WHERE id = %s", ["x", entries[1].pk])
    assert check_audit_chain.call_local() is False
    note = root.notifications.get()
    assert "审计日志不完整" in note.title and "第 2 号记录已被篡改" in note.title
