"""Capability checks for the registry's views (what a user may *see* is the selectors' job)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase

from zhengtu.core.access import capability_required as core_capability_required

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def capability_required(capability: str) -> Callable[[View], View]:
    """Log in first; then core.access.capability_required (403 for users whose role lacks the capability)."""

    def decorator(view: View) -> View:
        return login_required(core_capability_required(capability)(view))  # type: ignore[arg-type,return-value]

    return decorator
