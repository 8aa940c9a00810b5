"""The columns of the ledger (台账) spreadsheet, shared by the Excel export and import so that
an exported file can be corrected and imported again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

from .models import ServiceKind, ServiceMode, VisitType

# (field, heading). The import reads the columns it knows by heading, in any order.
IMPORT_COLUMNS: list[tuple[str, Any]] = [
    ("held_on", pgettext_lazy("ledger column", "Date")),
    ("kind", pgettext_lazy("ledger column", "Kind")),
    ("mode", pgettext_lazy("ledger column", "Form")),
    ("visit_type", pgettext_lazy("ledger column", "Visit type")),
    ("topic", pgettext_lazy("ledger column", "Topic or content")),
    ("lecturer", pgettext_lazy("ledger column", "Lecturer or leader")),
    ("place", pgettext_lazy("ledger column", "Place")),
    ("duration_hours", pgettext_lazy("ledger column", "Duration (hours)")),
    ("attendees", pgettext_lazy("ledger column", "Supervisees")),
    ("summary", pgettext_lazy("ledger column", "What happened")),
    ("materials", pgettext_lazy("ledger column", "Materials")),
    # Zhengtu's own numbers of the supervisees, written by the export so that people who share a
    # name are told apart when the file comes back; optional when typing a sheet by hand.
    ("attendee_numbers", pgettext_lazy("ledger column", "Supervisee numbers")),
]
REQUIRED = ("held_on", "kind", "topic", "duration_hours", "attendees")

# Read-only columns of the export, ignored by the import.
NUMBER = pgettext_lazy("ledger column", "No.")
HEADCOUNT = pgettext_lazy("ledger column", "Headcount")
PROJECT = pgettext_lazy("ledger column", "Project")
RECORDED_BY = pgettext_lazy("ledger column", "Recorded by")


def heading(field: str) -> str:
    return str(dict(IMPORT_COLUMNS)[field])


def headings_by_text() -> dict[str, str]:
    """Heading text (in the site language and in English) → field."""
    found: dict[str, str] = {}
    for language in (settings.LANGUAGE_CODE, "en"):
        with translation.override(language):
            for field, label in IMPORT_COLUMNS:
                found[_normalise(str(label))] = field
    return found


def choice_words(choices: type[ServiceKind] | type[ServiceMode] | type[VisitType]) -> dict[str, str]:
    """Label (site language, English) or code → value, for reading a choice typed in a cell."""
    words: dict[str, str] = {}
    for language in (settings.LANGUAGE_CODE, "en"):
        with translation.override(language):
            for value, label in choices.choices:
                words[_normalise(str(label))] = value
                words[_normalise(value)] = value
    return words


def _normalise(text: str) -> str:
    return "".join(str(text).split()).lower().replace("（", "(").replace("）", ")")


normalise = _normalise
