"""Reads of user accounts for the user-management pages: the manager's subtree, default deny."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhengtu.core.lookups import get_or_404

from .models import User
from .roles import Capability, can


def users_visible_to(manager: User) -> QuerySet[User]:
    """Accounts of the manager's organisation and everything below it (never system administrators)."""
    if not can(manager, Capability.MANAGE_USERS):
        return User.objects.none()
    if manager.is_superuser:
        return User.objects.all()
    if manager.organisation is None:
        return User.objects.none()
    return User.objects.filter(organisation__path__startswith=manager.organisation.path, is_superuser=False)


def get_user_for_manager(manager: User, pk: object) -> User:
    """The one way to fetch an account named in a URL on the management pages: 404 outside scope."""
    return get_or_404(users_visible_to(manager).select_related("organisation"), pk)


def filter_users(
    users: QuerySet[User], *, query: str = "", role: str = "", organisation_id: int | None = None, active: str = ""
) -> QuerySet[User]:
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if role:
        users = users.filter(role=role)
    if organisation_id:
        users = users.filter(organisation_id=organisation_id)
    if active == "yes":
        users = users.filter(is_active=True)
    elif active == "no":
        users = users.filter(is_active=False)
    return users.select_related("organisation").order_by("organisation__path", "username")
