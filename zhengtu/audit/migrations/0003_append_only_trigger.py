"""On PostgreSQL, the database itself refuses UPDATE and DELETE on audit entries.

Only the retention purge may delete: it sets the transaction-local setting
`zhengtu.audit_purge` to 'on' first (zhengtu.audit.services.purge_expired_entries). On SQLite
this migration does nothing; the hash chain and `verify_audit` still reveal any change.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION zhengtu_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('zhengtu.audit_purge', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'audit entries are append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION zhengtu_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS zhengtu_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def create_chain_head(apps, schema_editor):
    # One row, created up front so that concurrent first writers never race to create it.
    apps.get_model("audit", "ChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_purge_anchor")]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
    ]
