from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from zhengtu.accounts.roles import can

from .registry import nav_items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    entries = []
    for item in nav_items():
        if item.capability and not can(user, item.capability):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav": entries, "unread_notifications": unread}
