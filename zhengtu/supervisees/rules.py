"""Limits and defaults of the registry, each overridable in settings.

Province-wide rules read ZHENGTU_RULES[key]; technical limits of this app read a dedicated
ZHENGTU_SUPERVISEES_<NAME> setting. Nothing here is a legal constant baked into code.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhengtu.core.rules import Rules
from zhengtu.orgs.divisions import DivisionLevel
from zhengtu.orgs.models import OrganisationKind

DEFAULTS: dict[str, Any] = {
    "term_ending_reminder_days": 30,
    "residence_division_min_level": "county",
    "residence_division_required": True,
}

rule = Rules(DEFAULTS)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, f"ZHENGTU_SUPERVISEES_{name}", default)


def term_ending_reminder_days() -> int:
    """How far ahead "term ending soon" looks (list filter default, my tasks)."""
    return int(rule("term_ending_reminder_days"))


def residence_division_min_level() -> DivisionLevel:
    """How precise a residence must be: a county by default (the place of execution is a county)."""
    return DivisionLevel[str(rule("residence_division_min_level")).upper()]


def residence_division_required() -> bool:
    """Whether the registration form insists on a residence division (once divisions are loaded)."""
    return bool(rule("residence_division_required"))


def responsible_office_kinds() -> frozenset[str]:
    """Which organisations may be responsible for a supervisee."""
    default = [OrganisationKind.JUSTICE_OFFICE, OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU]
    return frozenset(_setting("RESPONSIBLE_OFFICE_KINDS", default))


def page_size() -> int:
    return int(_setting("PAGE_SIZE", 50))


def search_count_limit() -> int:
    """A search matching more people than this says "more than N": refine rather than page on."""
    return int(_setting("SEARCH_COUNT_LIMIT", 1000))


def photo_max_bytes() -> int:
    return int(_setting("PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def import_max_bytes() -> int:
    return int(_setting("IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def import_max_rows() -> int:
    return int(_setting("IMPORT_MAX_ROWS", 20_000))


def import_max_unpacked_bytes() -> int:
    """What an .xlsx may unpack to before it is refused (a zip bomb); 20,000 rows take about 40 MB."""
    return int(_setting("IMPORT_MAX_UNPACKED_BYTES", 150 * 1024 * 1024))


def import_batch_rows() -> int:
    """Rows written per transaction: short enough that others' writes wait about a second at most."""
    return int(_setting("IMPORT_BATCH_ROWS", 200))


def import_background_above_bytes() -> int:
    """Files larger than this are imported as a background job with a progress page."""
    return int(_setting("IMPORT_BACKGROUND_ABOVE_BYTES", 256 * 1024))


def export_max_rows() -> int:
    return int(_setting("EXPORT_MAX_ROWS", 100_000))


LEVEL_LABELS = {
    DivisionLevel.PROVINCE: _("province"),
    DivisionLevel.PREFECTURE: _("prefecture"),
    DivisionLevel.COUNTY: _("county"),
    DivisionLevel.TOWNSHIP: _("township"),
    DivisionLevel.VILLAGE: _("village"),
}
