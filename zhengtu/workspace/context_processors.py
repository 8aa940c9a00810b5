from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, resolve, reverse

from zhengtu.accounts.roles import can
from zhengtu.core.access import page_allows

from .registry import nav_items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    entries = []
    for item in nav_items():
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        # The page's own rule decides when it declares one, so the menu never offers a page that answers 403.
        allowed = page_allows(resolve(url).func, user)
        if allowed is None:
            allowed = not item.capability or can(user, item.capability)
        if not allowed:
            continue
        entries.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav": entries, "unread_notifications": unread}
