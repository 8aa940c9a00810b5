"""Capability checks for the registry's views (what a user may *see* is the selectors' job)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from zhengtu.accounts.roles import can

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def capability_required(capability: str) -> Callable[[View], View]:
    """Log in first; then 403 for users whose role lacks the capability."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not can(request.user, capability):  # type: ignore[arg-type]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator
