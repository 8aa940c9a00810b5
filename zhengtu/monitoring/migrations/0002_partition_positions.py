"""PostgreSQL only: positions become a table range-partitioned by month of fix_time.

The primary key of a partitioned table must include the partition key, hence (id, fix_time);
the id stays unique because it comes from one identity sequence. A default partition catches
anything outside the monthly partitions that `ensure_partitions` keeps created ahead of time.
On SQLite (embedded shape) positions stay in one table and this migration does nothing.
"""

from django.db import migrations

PARTITION_SQL = [
    "ALTER TABLE monitoring_position RENAME TO monitoring_position_unpartitioned",
    "CREATE TABLE monitoring_position (LIKE monitoring_position_unpartitioned "
    "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS) PARTITION BY RANGE (fix_time)",
    "INSERT INTO monitoring_position SELECT * FROM monitoring_position_unpartitioned",
    "DROP TABLE monitoring_position_unpartitioned",
    "ALTER TABLE monitoring_position ADD PRIMARY KEY (id, fix_time)",
    "CREATE INDEX monitoring_pos_supervisee ON monitoring_position (supervisee_id, fix_time)",
    "CREATE INDEX monitoring_pos_device ON monitoring_position (device_id, fix_time)",
    "CREATE TABLE monitoring_position_default PARTITION OF monitoring_position DEFAULT",
]


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in PARTITION_SQL:
        schema_editor.execute(statement)
    from zhengtu.monitoring.retention import ensure_partitions

    ensure_partitions()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop)]
