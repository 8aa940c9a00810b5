"""Who may open the statistics pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from zhengtu.accounts.http import AuthenticatedRequest

from ..selectors import can_view_statistics

View = Callable[..., HttpResponse]


def statistics_view(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_view_statistics(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
