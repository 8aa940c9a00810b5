"""Reads of the organisation tree, scoped to the acting user's subtree. Default deny."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from zhengtu.accounts.roles import Capability, can, is_supervisee
from zhengtu.core.lookups import get_or_404

from .models import Organisation, OrganisationKind

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


KIND_ORDER = {kind: index for index, kind in enumerate(OrganisationKind.values)}


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """The user's organisation and everything below it; nothing for users without one."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    if user.organisation is None or is_supervisee(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(path__startswith=user.organisation.path)


def organisations_manageable_by(user: User) -> QuerySet[Organisation]:
    if not can(user, Capability.MANAGE_ORGANISATIONS):
        return Organisation.objects.none()
    return organisations_visible_to(user)


def get_organisation_for_manager(user: User, pk: object) -> Organisation:
    """The one way to fetch an organisation named in a URL for the admin pages: 404 outside scope."""
    return get_or_404(organisations_manageable_by(user), pk)


@dataclass(frozen=True)
class TreeRow:
    organisation: Organisation
    depth: int
    member_count: int
    child_count: int

    @property
    def indent_px(self) -> int:
        return 8 + 24 * self.depth


def organisation_tree_for(user: User, *, include_inactive: bool = True) -> list[TreeRow]:
    """The manageable subtree in path order (a depth-first walk), each row with its depth below the top."""
    organisations = organisations_manageable_by(user)
    if not include_inactive:
        organisations = organisations.filter(is_active=True)
    organisations = organisations.annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
        child_count=Count("children", distinct=True),
    ).order_by("path")
    rows = list(organisations)
    if not rows:
        return []
    top = min(org.path.count("/") for org in rows)
    # Materialised paths sort by id text ("/1/10/" before "/1/2/"): order siblings by name instead.
    by_parent: dict[int | None, list[Organisation]] = {}
    ids = {org.pk for org in rows}
    for org in rows:
        parent = org.parent_id if org.parent_id in ids else None
        by_parent.setdefault(parent, []).append(org)
    ordered: list[TreeRow] = []

    def walk(parent: int | None) -> None:
        for org in sorted(by_parent.get(parent, []), key=lambda o: (KIND_ORDER.get(o.kind, 99), o.name)):
            ordered.append(
                TreeRow(org, org.path.count("/") - top, org.member_count, org.child_count)  # type: ignore[attr-defined]
            )
            walk(org.pk)

    walk(None)
    return ordered
