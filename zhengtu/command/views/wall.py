"""The command-centre wall (a full-screen page for a wall display) and the offline base map's area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import record_event
from zhengtu.monitoring.rules import tile_source
from zhengtu.monitoring.views.access import location_view

from .. import wall as wall_data
from ..rules import rule
from ..selectors import statistics_root


@require_GET
@location_view
def wall_page(request: AuthenticatedRequest) -> HttpResponse:
    # The wall shows current locations of everyone in scope: a read of location data, audited.
    record_event(request, action="command.wall_view", detail={})
    context = {
        "tiles": tile_source(),
        "root": statistics_root(request.user),
        "refresh_seconds": rule("WALL_REFRESH_SECONDS"),
    }
    return render(request, "command/wall.html", context)


@require_GET
@location_view
def wall_figures(request: AuthenticatedRequest) -> JsonResponse:
    """Cached per scope like the dashboards (a wall re-reads every minute; alerts arrive live meanwhile)."""
    user = request.user
    seconds = int(rule("DASHBOARD_CACHE_SECONDS"))
    if seconds <= 0 or user.is_superuser:
        return JsonResponse(wall_data.wall_figures(user, now=timezone.now()))
    key = f"command:wall:{user.pk}:{timezone.localdate()}:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = wall_data.wall_figures(user, now=timezone.now())
        cache.set(key, figures, seconds)
    return JsonResponse(figures)


@require_GET
@login_required
def basemap_info(request: AuthenticatedRequest) -> JsonResponse:
    """Administrative boundaries are public; the user's area only picks which file to draw and where to look."""
    area = wall_data.base_map_area(request.user)
    files = [static("command/basemap/china.json")]
    files.extend(static(f"command/basemap/{code}.json") for code in area["provinces"] if _shipped(code))
    return JsonResponse({"files": files, "focus": area["focus"]})


def _shipped(code: str) -> bool:
    from django.contrib.staticfiles import finders

    return finders.find(f"command/basemap/{code}.json") is not None
