"""What each domain app contributes to the shared workspace, declared on its AppConfig.

An AppConfig may set:
- `nav_items`: list of NavItem (label, url name, capability or None);
- `task_provider`: "module:function" taking a user and returning a list of Task;
- `embedded_companions`: list of "module:function" started inside `manage.py serve` in the
  embedded shape, each taking an asyncio.Event (set at shutdown) and returning an awaitable;
- `home_dashboard`: "module:function" taking the request and returning the HTML of the user's
  dashboard for the home page, or None (the first app that answers is shown).
- `supervisee_panels`: {place: "module:function"}, each taking the request and a supervisee and returning
  the HTML of a read-only panel ("" for none) that another app's page for that person shows: "detail" on the
  supervisee's page, "plan" beside the correction plan.
Collecting them here keeps domain apps from editing shared files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translation string
    url_name: str
    capability: str | None = None
    order: int = 100


@dataclass(frozen=True)
class Task:
    """One thing due for a user, shown on the "my tasks" page."""

    kind: str  # short code, e.g. "checkin_overdue"
    title: str
    url: str = ""
    due: dt.date | None = None
    overdue: bool = False
    subject: str = ""  # e.g. the supervisee's name


def load_callable(dotted: str) -> Callable[..., Any]:
    module_name, _, attribute = dotted.partition(":")
    return getattr(import_module(module_name), attribute)  # type: ignore[no-any-return]


def nav_items() -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        items.extend(getattr(config, "nav_items", []))
    return sorted(items, key=lambda item: item.order)


def task_providers() -> list[Callable[[User], list[Task]]]:
    return [load_callable(p) for c in apps.get_app_configs() if (p := getattr(c, "task_provider", None))]


def home_dashboards() -> list[Callable[..., Any]]:
    return [load_callable(p) for c in apps.get_app_configs() if (p := getattr(c, "home_dashboard", None))]


def embedded_companions() -> list[Callable[..., Any]]:
    from django.conf import settings

    if not settings.ZHENGTU_EMBEDDED:
        return []
    dotted: list[str] = []
    for config in apps.get_app_configs():
        dotted.extend(getattr(config, "embedded_companions", []))
    return [load_callable(d) for d in dict.fromkeys(dotted)]


def supervisee_panels(place: str, request: Any, supervisee: Any) -> list[str]:
    """The panels every app contributes to one person's page at `place` (already escaped HTML)."""
    from django.utils.safestring import mark_safe

    panels = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "supervisee_panels", {}).get(place)
        if dotted and (html := load_callable(dotted)(request, supervisee)):
            panels.append(mark_safe(html))  # noqa: S308 - rendered by the app's own template
    return panels
