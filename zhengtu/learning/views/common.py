from __future__ import annotations

from typing import Any

from zhengtu.accounts.roles import Capability, can, is_supervisee


def is_learning_staff(user: Any) -> bool:
    """The rule of the staff pages (`require_rule(user, is_learning_staff)`): anyone who sees supervisees follows
    their studying, never a supervisee's own account."""
    return not is_supervisee(user) and can(user, Capability.VIEW_SUPERVISEES)
