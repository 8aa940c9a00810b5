"""Figures of the apps that existed when the command centre was built, declared on CommandConfig.

Each module reads only through its owning app's scoped selectors. When an app takes over its own
figures (`statistics_sources` on its AppConfig), the module here is deleted; the keys stay the same.
"""

from __future__ import annotations

from typing import Any

from . import assessment, monitoring, registry, services, supervision


def sources() -> list[Any]:
    return [
        *registry.sources(),
        *supervision.sources(),
        *assessment.sources(),
        *monitoring.sources(),
        *services.sources(),
    ]
