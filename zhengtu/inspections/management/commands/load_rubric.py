"""Load a rubric (sections of weighted indicators with scoring guides) from a JSON file for an association.

    manage.py load_rubric "怀化市司法矫治协会" path/to/rubric.json
    manage.py load_rubric "怀化市司法矫治协会" --standard

The JSON has the shape of zhengtu/inspections/rubrics/standard.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation, OrganisationKind

from ...services.rubrics import STANDARD_RUBRIC, create_rubric


class Command(BaseCommand):
    help = "Load an inspection rubric from JSON for an association."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("association", help="the association's name")
        parser.add_argument("path", nargs="?", help="the rubric's JSON file")
        parser.add_argument("--standard", action="store_true", help="load the rubric shipped with Zhengtu")

    def handle(self, *args: Any, association: str, path: str | None, standard: bool, **options: Any) -> None:
        owner = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION, name=association).first()
        if owner is None:
            raise CommandError(f"No association is called {association!r}.")
        source = STANDARD_RUBRIC if standard else Path(path or "")
        if not source.is_file():
            raise CommandError("Give the JSON file of the rubric, or --standard.")
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
            rubric = create_rubric(actor=Actor(username="manage.py"), association=owner, data=data)
        except (ValueError, KeyError, TypeError, ValidationError) as error:
            raise CommandError(f"The rubric could not be loaded: {error}") from error
        indicators = sum(section.indicators.count() for section in rubric.sections.all())
        self.stdout.write(
            f"Loaded rubric {rubric.name!r}: {rubric.sections.count()} sections, {indicators} indicators."
        )
