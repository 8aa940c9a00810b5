"""Who may write what: capability checks shared by every supervision service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import can
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Status, Supervisee

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def require(actor: Actor, capability: str) -> User:
    """The acting user, if they hold `capability`; PermissionDenied otherwise."""
    user = actor.user
    if user is None or not can(user, capability):
        raise PermissionDenied(_("You are not allowed to do this."))
    return user


def require_under_supervision(supervisee: Supervisee) -> None:
    if supervisee.status != Status.UNDER_SUPERVISION:
        raise ValidationError(
            _("%(name)s is not under supervision (status: %(status)s).")
            % {"name": supervisee.name, "status": supervisee.get_status_display()}
        )
