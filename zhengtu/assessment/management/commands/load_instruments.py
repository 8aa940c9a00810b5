"""Load the instruments shipped in zhengtu/assessment/instruments/ (or given workbooks). Idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation

from ...report_font import report_font_path
from ...services.assessments import refresh_approximate_deadlines
from ...services.instruments import import_instrument, load_shipped_instruments
from ...workbook import WorkbookRejected


class Command(BaseCommand):
    help = "Import instrument workbooks (the shipped ones by default); unchanged versions are skipped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("workbooks", nargs="*", type=Path, help="Workbooks to import instead of the shipped ones")
        parser.add_argument("--organisation", type=int, help="Owner organisation id for the given workbooks")
        parser.add_argument("--no-font", action="store_true", help="Do not prepare the PDF report font")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor(username="load_instruments")
        owner = None
        if options["organisation"]:
            owner = Organisation.objects.filter(pk=options["organisation"]).first()
            if owner is None:
                raise CommandError(f"No organisation {options['organisation']}")
        try:
            if options["workbooks"]:
                outcomes = [
                    import_instrument(actor=actor, content=path.read_bytes(), file_name=path.name, organisation=owner)
                    for path in options["workbooks"]
                ]
            else:
                outcomes = load_shipped_instruments(actor=actor)
        except WorkbookRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError("The workbook was refused.") from rejected
        for outcome in outcomes:
            state = "imported" if outcome.created else "unchanged"
            self.stdout.write(f"{outcome.version.instrument.code} {outcome.version.version}: {state}")
        recounted = refresh_approximate_deadlines()
        if recounted:
            self.stdout.write(f"{recounted} report deadlines recounted on the holiday calendar")
        if not options["no_font"]:
            path = report_font_path()
            self.stdout.write(f"report font: {path or 'system font'}")
