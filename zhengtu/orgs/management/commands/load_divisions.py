from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengtu.orgs.divisions import DATA_DIR, DivisionLevel, load_divisions, read_vendored_divisions

DEPTHS = {"province": DivisionLevel.PROVINCE, "prefecture": DivisionLevel.PREFECTURE}
DEPTHS |= {"county": DivisionLevel.COUNTY, "township": DivisionLevel.TOWNSHIP}


class Command(BaseCommand):
    help = (
        "Load the administrative divisions shipped in zhengtu/orgs/data (31 provinces, prefectures, "
        "counties and townships). Idempotent: a second run only updates what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help="Load only this province (e.g. 43 or 430000); repeat for several.",
        )
        parser.add_argument(
            "--depth", choices=list(DEPTHS), default="township", help="Deepest level to load (default: township)."
        )
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="Folder with the division CSV files.")

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = options["provinces"] or None
        if provinces and not all(p.isdigit() and len(p) in (2, 6) for p in provinces):
            raise CommandError("A province is given by its code: two digits (43) or six (430000).")
        data_dir: Path = options["data_dir"]
        if not (data_dir / "provinces.csv").exists():
            raise CommandError(f"No division data in {data_dir}.")
        started = time.monotonic()
        records = read_vendored_divisions(data_dir, provinces=provinces, depth=DEPTHS[options["depth"]])
        if not records:
            raise CommandError("No division matches the provinces given.")
        result = load_divisions(records)
        self.stdout.write(
            f"Divisions: {result.total} in the data, {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged ({time.monotonic() - started:.1f} s)."
        )
