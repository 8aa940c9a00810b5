"""Command-centre defaults. Each is a key of the setting `ZHENGTU_COMMAND` a site may override."""

from __future__ import annotations

from typing import Any

from zhengtu.core.rules import Rules

DEFAULTS: dict[str, Any] = {
    # Dashboards are computed once per scope and kept this long (figures are at most this old).
    "DASHBOARD_CACHE_SECONDS": 60,
    # Per-office counts of each figure are computed over all records once and shared by every user whose
    # scope is an organisation subtree (a province's figures are sums of its offices'); kept this long.
    # 0 computes every figure for each user on each request.
    "SHARED_AGGREGATE_SECONDS": 60,
    # The wall re-reads its counts this often (and after each live alert).
    "WALL_REFRESH_SECONDS": 60,
    # Days of history in the wall's sparklines.
    "SPARKLINE_DAYS": 14,
}


rule = Rules(DEFAULTS, setting="ZHENGTU_COMMAND")
