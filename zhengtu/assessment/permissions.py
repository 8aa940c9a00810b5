"""Who may do what with assessments. Scope (which records) is decided by the selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhengtu.accounts import roles
from zhengtu.accounts.roles import Capability, can

from .rules import override_approver_roles

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

    from .models import Assessment


def _staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff_member)


def can_assess(user: User) -> bool:
    """Fill in questionnaires, score them, issue reports."""
    return _staff(user) and can(user, Capability.ASSESS)


def can_view_results(user: User) -> bool:
    """Read assessments and psychological results of supervisees in scope."""
    return _staff(user) and (can(user, Capability.ASSESS) or can(user, Capability.SUPERVISE))


def can_manage_instruments(user: User) -> bool:
    return _staff(user) and (can(user, Capability.ASSESS) or can(user, Capability.APPROVE_BUREAU))


def can_view_figures(user: User) -> bool:
    return can_view_results(user) or (_staff(user) and can(user, Capability.VIEW_STATISTICS))


def is_override_approver(user: User) -> bool:
    """An approver in general: approve at justice-office level, or assess in a supervising role."""
    if not _staff(user):
        return False
    if user.is_superuser or can(user, Capability.APPROVE_OFFICE):
        return True
    return can(user, Capability.ASSESS) and user.role in override_approver_roles()


def may_approve_override(user: User, assessment: Assessment, requested_by_id: int) -> bool:
    """A second person: never the one who asked for the override, nor the assessor."""
    if not is_override_approver(user):
        return False
    return user.pk not in {requested_by_id, assessment.assessor_id}


def is_supervisee(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and roles.is_supervisee(user))
