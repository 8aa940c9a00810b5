"""Template tags other apps may use, e.g. the project page: {% supervisor_filing_panel project %}."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from ..selectors import project_supervisor_statuses

register = template.Library()


@register.inclusion_tag("association/supervisor_filings_panel.html")
def supervisor_filing_panel(project: Any, on_date: dt.date | None = None) -> dict[str, Any]:
    """Each supervisor of `project` (already fetched through a scoped selector) and their filing state."""
    entries = project_supervisor_statuses(project, on_date or timezone.localdate())
    return {"entries": entries, "lapsed": sum(1 for entry in entries if not entry.status.is_valid)}
