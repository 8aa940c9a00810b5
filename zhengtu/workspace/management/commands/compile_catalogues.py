"""Compile every zh_Hans (and other) .po catalogue to .mo with Babel: no gettext binaries needed."""

from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile translation catalogues (.po → .mo) when they changed."

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.BASE_DIR) / "zhengtu"
        compiled = 0
        for po_path in root.glob("**/locale/*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as handle:
                catalogue = read_po(handle)
            if catalogue.locale is None:  # makemessages leaves "Language:" empty; plural forms need it
                catalogue.locale = Locale.parse(po_path.parent.parent.name)
            with mo_path.open("wb") as handle:
                write_mo(handle, catalogue, use_fuzzy=False)
            compiled += 1
        if compiled:
            self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
