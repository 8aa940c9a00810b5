"""The association's supervisor filing is the one record of a supervisor's credential.

"Filed supervisor" credentials entered on a project for a person whom the association has filed
duplicate the filing: they are removed (the staff lists read the filing instead). Those of people
the association has not filed stay, shown as not filed, so that nothing anyone typed is lost.
"""

from django.db import migrations


def remove_duplicated_supervisor_credentials(apps, schema_editor):  # type: ignore[no-untyped-def]
    StaffCredential = apps.get_model("projects", "StaffCredential")
    SupervisorFiling = apps.get_model("association", "SupervisorFiling")
    filed = SupervisorFiling.objects.filter(status="approved").values("supervisor_id")
    StaffCredential.objects.filter(kind="supervisor", user_id__in=filed).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_budget_targets_reports"),
        ("association", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(remove_duplicated_supervisor_credentials, migrations.RunPython.noop),
    ]
