"""Reads of the command centre: which figures a user may open, and organisations named in a URL."""

from __future__ import annotations

from django.http import Http404

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation
from zhengtu.orgs.selectors import organisations_visible_to

from .figures import Figure, get_figure


def can_view_statistics(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or can(user, Capability.VIEW_STATISTICS))


def get_figure_or_404(key: str) -> Figure:
    figure = get_figure(key)
    if figure is None:
        raise Http404
    return figure


def statistics_root(user: User) -> Organisation | None:
    """The organisation a user's statistics are about (a command centre reports on the bureau it serves)."""
    org = user.organisation
    if org is not None and org.kind == "command_center" and org.parent is not None:
        return org.parent
    return org


def get_organisation_for_user(user: User, pk: object) -> Organisation:
    """An organisation named in a drill-down URL: only the user's subtree (404 elsewhere)."""
    root = statistics_root(user)
    queryset = organisations_visible_to(user)
    if root is not None and root != user.organisation:
        queryset = Organisation.objects.filter(path__startswith=root.path)
    return get_or_404(queryset, pk)
