"""The app's bottom tab bar. Any app adds a tab by declaring `app_tabs` on its AppConfig (like `nav_items`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class AppTab:
    label: str | Promise
    url_name: str
    icon: str  # a short glyph shown above the label; the label is what screen readers read
    order: int = 50
    # Tabs are marked active by the first path segment after /app/ (e.g. "checkin").
    section: str = ""


@dataclass(frozen=True)
class ShownTab:
    label: str
    url: str
    icon: str
    active: bool


def app_tabs(current_path: str) -> list[ShownTab]:
    declared: list[AppTab] = []
    for config in apps.get_app_configs():
        declared.extend(getattr(config, "app_tabs", []))
    declared.sort(key=lambda tab: tab.order)
    section = current_path.removeprefix("/app/").split("/", 1)[0]
    shown = []
    for tab in declared:
        try:
            url = reverse(tab.url_name)
        except NoReverseMatch:
            continue
        shown.append(ShownTab(label=str(tab.label), url=url, icon=tab.icon, active=tab.section == section))
    return shown
