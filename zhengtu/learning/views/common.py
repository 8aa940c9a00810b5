from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from zhengtu.accounts.roles import Capability, Role, can


def require(user: Any, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def require_staff(user: Any) -> None:
    if user.role == Role.SUPERVISEE or not can(user, Capability.VIEW_SUPERVISEES):
        raise PermissionDenied
