"""Family members' phone numbers: encrypted and masked like the supervisee's own.

Existing numbers are encrypted with the field key (zhengtu.privacy) before the clear column is
dropped; going back decrypts them into it again.
"""

from django.db import migrations, models


def encrypt_existing(apps, schema_editor):
    from zhengtu.privacy.crypto import encrypt, mask_phone

    FamilyMember = apps.get_model("supervisees", "FamilyMember")
    for member in FamilyMember.objects.exclude(phone="").only("pk", "phone").iterator():
        value = member.phone.strip().replace(" ", "").replace("-", "")
        FamilyMember.objects.filter(pk=member.pk).update(phone_encrypted=encrypt(value), phone_masked=mask_phone(value))


def decrypt_existing(apps, schema_editor):
    from zhengtu.privacy.crypto import decrypt

    FamilyMember = apps.get_model("supervisees", "FamilyMember")
    for member in FamilyMember.objects.exclude(phone_encrypted="").only("pk", "phone_encrypted").iterator():
        FamilyMember.objects.filter(pk=member.pk).update(phone=decrypt(member.phone_encrypted))


class Migration(migrations.Migration):
    dependencies = [("supervisees", "0003_name_readings_and_order_indexes")]

    operations = [
        migrations.AddField(
            model_name="familymember",
            name="phone_encrypted",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="familymember",
            name="phone_masked",
            field=models.CharField(default="", editable=False, max_length=20, verbose_name="phone"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.RemoveField(model_name="familymember", name="phone"),
    ]
