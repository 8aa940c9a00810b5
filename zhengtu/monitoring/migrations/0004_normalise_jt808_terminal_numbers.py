"""JT/T 808 terminal numbers in one form: the BCD digits with their leading zeros.

Until now the gateway dropped leading zeros (012076463279 → 12076463279) while the registry kept
what the administrator typed, so such devices never matched. Registered devices and the list of
unknown devices are rewritten to the form the gateway now uses (protocols.jt808
.normalise_terminal_number). A number that would clash with another device's is left as it is
and reported, for an administrator to resolve.
"""

from django.db import migrations
from django.db.models import F


def normalise(number: str) -> str | None:
    from zhengtu.monitoring.protocols.jt808 import normalise_terminal_number

    try:
        return normalise_terminal_number(number)
    except ValueError:
        return None


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Device = apps.get_model("monitoring", "Device")
    UnknownDevice = apps.get_model("monitoring", "UnknownDevice")
    taken = set(Device.objects.values_list("identifier", flat=True))
    for device in Device.objects.filter(protocol="jt808").only("pk", "identifier"):
        number = normalise(device.identifier)
        if number is None or number == device.identifier:
            continue
        if number in taken:
            print(f"  JT/T 808 device {device.identifier}: {number} is already registered; left as it is")
            continue
        taken.discard(device.identifier)
        taken.add(number)
        Device.objects.filter(pk=device.pk).update(identifier=number)
    for unknown in UnknownDevice.objects.filter(protocol="jt808"):
        number = normalise(unknown.identifier)
        if number is None or number == unknown.identifier:
            continue
        same = UnknownDevice.objects.filter(protocol="jt808", identifier=number).first()
        if same is None:
            UnknownDevice.objects.filter(pk=unknown.pk).update(identifier=number)
        else:  # both forms were seen: one row, frames added up
            UnknownDevice.objects.filter(pk=same.pk).update(frames=F("frames") + unknown.frames)
            unknown.delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_jt808_registration_and_relaxed_authentication")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
