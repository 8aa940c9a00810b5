"""What the juvenile services share: permission checks that answer in Chinese, and the acting user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from zhengtu.accounts.roles import can
from zhengtu.audit.services import Actor

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def acting_user(actor: Actor, capability: str) -> User:
    user = actor.user
    if user is None or not can(user, capability):
        raise PermissionDenied
    return user
