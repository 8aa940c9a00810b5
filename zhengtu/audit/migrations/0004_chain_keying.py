"""Key the audit chain (HMAC) and re-anchor any existing chain.

Entries already written keep their unkeyed SHA-256 hashes; a signed ChainKeying record says
"the key was introduced at entry N", and the verifier checks entries before N with the old
rule. The first keyed entry links to the last unkeyed one, so rewriting the old history would
still break that link, and it cannot be recomputed without the key.
"""

from django.db import migrations, models
from django.utils import timezone


def re_anchor(apps, schema_editor):
    from zhengtu.audit import keying

    AuditEntry = apps.get_model("audit", "AuditEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    ChainKeying = apps.get_model("audit", "ChainKeying")
    newest = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    head = ChainHead.objects.filter(pk=1).values_list("last_sequence", flat=True).first() or 0
    reached = max(newest, head)
    if reached == 0:
        return  # a fresh log: every entry is keyed from the first
    first_keyed = reached + 1
    fingerprint = keying.key_fingerprint()
    ChainKeying.objects.create(
        first_keyed_sequence=first_keyed,
        introduced_at=timezone.now(),
        key_fingerprint=fingerprint,
        signature=keying.sign(keying.keying_message(first_keyed, fingerprint)),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_only_trigger'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChainKeying',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_keyed_sequence', models.BigIntegerField(unique=True)),
                ('introduced_at', models.DateTimeField()),
                ('key_fingerprint', models.CharField(max_length=16)),
                ('signature', models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(re_anchor, migrations.RunPython.noop),
    ]
