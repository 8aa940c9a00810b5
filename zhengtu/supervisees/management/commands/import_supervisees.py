from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.audit.services import Actor
from zhengtu.supervisees.importing import import_supervisees
from zhengtu.supervisees.selectors import responsible_offices_for


class Command(BaseCommand):
    help = (
        "Import supervisees from an Excel (.xlsx) or CSV file, as USER would on the import page: same checks, "
        "same scope, same audit. Bad rows are listed on stderr; good rows are registered."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Username of the staff member the import is made as.")
        parser.add_argument("--office", type=int, help="Organisation id used for rows whose office column is empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = User.objects.filter(username=options["user"], is_active=True).select_related("organisation").first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        office = None
        if options["office"] is not None:
            office = responsible_offices_for(user).filter(pk=options["office"]).first()
            if office is None:
                raise CommandError(f"Office {options['office']} is unknown or outside {user.username}'s area.")
        result = import_supervisees(
            actor=Actor(user=user, username=user.username),
            file_name=path.name,
            content=path.read_bytes(),
            default_office=office,
        )
        if result.file_problem:
            raise CommandError(result.file_problem)
        for error in result.errors:
            reasons = "；".join(error.reasons)
            self.stderr.write(
                _("Row %(row)d %(name)s: %(reasons)s") % {"row": error.row, "name": error.name, "reasons": reasons}
            )
        self.stdout.write(
            _("%(rows)d rows read, %(imported)d registered, %(rejected)d with problems.")
            % {"rows": result.rows, "imported": len(result.imported), "rejected": len(result.errors)}
        )
