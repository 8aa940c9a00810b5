from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.template import Template
from django.template.loader import select_template

from zhengtu.accounts.roles import Capability, Role, can


def require(user: Any, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def require_staff(user: Any) -> None:
    if user.role == Role.SUPERVISEE or not can(user, Capability.VIEW_SUPERVISEES):
        raise PermissionDenied


def phone_base() -> Template:
    """The supervisee app's shell (selfservice), or the plain base until that app is installed."""
    return select_template(["selfservice/base.html", "base.html"])  # type: ignore[return-value]
