from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from zhengtu.accounts.roles import Capability, can, is_supervisee


def require(user: Any, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def require_staff(user: Any) -> None:
    if is_supervisee(user) or not can(user, Capability.VIEW_SUPERVISEES):
        raise PermissionDenied
