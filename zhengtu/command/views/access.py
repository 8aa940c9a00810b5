"""Who may open the statistics pages."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from zhengtu.core.access import access_rule

from ..selectors import can_view_statistics

View = Callable[..., HttpResponse]


def statistics_view(view: View) -> View:
    """Log in first; then 403 unless the user may see statistics (the sidebar reads the same rule)."""
    return login_required(access_rule(can_view_statistics)(view))
