"""On SQLite too, the database refuses UPDATE and DELETE on audit entries.

The trigger asks `zhengtu_audit_change_allowed()`, a function that only Zhengtu's own
connections have and that says yes only during the retention purge (zhengtu.audit.sqlite_guard).
PostgreSQL has had its trigger since 0003. Note: SQLite drops a table's triggers when Django
rebuilds the table, so a later migration that alters AuditEntry must create them again.
"""

from django.db import migrations

CREATE = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update
    BEFORE UPDATE ON audit_auditentry
    WHEN NOT zhengtu_audit_change_allowed()
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete
    BEFORE DELETE ON audit_auditentry
    WHEN NOT zhengtu_audit_change_allowed()
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END
    """,
]
DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_keying")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
