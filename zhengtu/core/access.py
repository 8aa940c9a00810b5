"""Who may open a page: the one decorator views use, and the rule the sidebar reads back from the view.

A view decorated here carries its rule as `view.allows(user)`, so the menu shows a link exactly when the page
behind it would open (`page_allows`), instead of repeating the capability beside the menu entry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.functional import Promise

from zhengtu.accounts.roles import can

View = Callable[..., HttpResponse]
Rule = Callable[[Any], bool]


def access_rule(allows: Rule) -> Callable[[View], View]:
    """Refuse the view (403) to users for whom `allows(user)` is false, and remember the rule on the view."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allows = allows  # type: ignore[attr-defined]
        return wrapper

    return decorator


def capability_required(capability: str) -> Callable[[View], View]:
    """access_rule for the common case: one capability from accounts.roles."""
    return access_rule(lambda user: can(user, capability))


def require_capability(user: Any, capability: str) -> None:
    """The same refusal inside a view body, for checks that depend on what the view has loaded."""
    if not can(user, capability):
        raise PermissionDenied


def require_rule(user: Any, allows: Rule) -> None:
    """require_capability for a rule that is more than one capability (e.g. `can_view_statistics`)."""
    if not allows(user):
        raise PermissionDenied


def acting_user(
    actor: Any, capability: str | None = None, *, allows: Rule | None = None, refusal: str | Promise = ""
) -> Any:
    """The user behind a service call (an `audit.services.Actor`), refused with PermissionDenied(`refusal`) when
    there is none, or they lack `capability`, or `allows(user)` is false.

    Services check here, not only their views, so pages, the API, imports and the admin cannot differ."""
    user = getattr(actor, "user", None)
    if user is None or (capability is not None and not can(user, capability)) or (allows and not allows(user)):
        raise PermissionDenied(refusal) if refusal else PermissionDenied
    return user


def page_allows(view: Callable[..., Any], user: Any) -> bool | None:
    """What the view's own rule says of this user; None when the view declares none."""
    seen: set[int] = set()
    current: Any = view
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        rule = getattr(current, "allows", None)
        if rule is not None:
            return bool(rule(user))
        current = getattr(current, "__wrapped__", None)
    return None
