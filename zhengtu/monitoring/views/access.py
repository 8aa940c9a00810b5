"""Who may open which monitoring page: location data for LOCATION_ROLES, management for MONITOR."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from zhengtu.accounts.http import AuthenticatedRequest

from ..selectors import can_manage, can_see_locations

View = Callable[..., HttpResponse]


def location_view(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_see_locations(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.allows = can_see_locations  # type: ignore[attr-defined]
    return wrapper


def management_view(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.allows = can_manage  # type: ignore[attr-defined]
    return wrapper
