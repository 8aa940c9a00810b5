"""Reads of the registry. Scope is decided here and only here: default deny."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from zhengtu.accounts.roles import Capability, Role, can
from zhengtu.orgs.models import Organisation

from .models import Assignment, Supervisee

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """The user's organisation and everything below it; nothing for users without one."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    if user.organisation_id is None or user.role == Role.SUPERVISEE:
        return Organisation.objects.none()
    assert user.organisation is not None
    return Organisation.objects.filter(path__startswith=user.organisation.path)


def supervisees_visible_to(user: User) -> QuerySet[Supervisee]:
    """Supervisees in the user's subtree plus those explicitly assigned to them.

    A supervisee sees only themselves; users without the capability see nobody.
    """
    if not user.is_authenticated or not user.is_active:
        return Supervisee.objects.none()
    if user.is_superuser:
        return Supervisee.objects.all()
    if user.role == Role.SUPERVISEE:
        return Supervisee.objects.filter(user=user)
    if not can(user, Capability.VIEW_SUPERVISEES):
        return Supervisee.objects.none()
    assigned = Assignment.objects.filter(user=user, ended_at__isnull=True).values("supervisee_id")
    scope = Q(pk__in=assigned)
    if user.organisation_id is not None:
        assert user.organisation is not None
        office_ids = Organisation.objects.filter(path__startswith=user.organisation.path).values("pk")
        scope |= Q(responsible_office_id__in=office_ids)
    return Supervisee.objects.filter(scope)


def get_supervisee_for_user(user: User, pk: object) -> Supervisee:
    """The one way to fetch a supervisee named in a URL: 404 outside the user's scope."""
    try:
        return supervisees_visible_to(user).get(pk=int(str(pk)))
    except (Supervisee.DoesNotExist, ValueError) as error:
        raise Http404 from error
