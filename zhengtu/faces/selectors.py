"""Reads of face checks, scoped to the acting user (default deny)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.core.lookups import get_or_404
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import FaceCheck


def face_checks_visible_to(user: User) -> QuerySet[FaceCheck]:
    """Staff see the face checks of the people in their scope; supervisees see none (not even their own photos)."""
    if not can(user, Capability.VIEW_SUPERVISEES):
        return FaceCheck.objects.none()
    return FaceCheck.objects.filter(supervisee__in=supervisees_visible_to(user))


def get_face_check_for_user(user: User, pk: object) -> FaceCheck:
    return get_or_404(face_checks_visible_to(user).select_related("supervisee"), pk)


def recent_face_checks(user: User, *, supervisee_id: int, limit: int = 20) -> list[FaceCheck]:
    return list(face_checks_visible_to(user).filter(supervisee_id=supervisee_id)[:limit])
