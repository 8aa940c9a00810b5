"""Read-only panels this app adds to other apps' pages of one person (workspace.registry.supervisee_panels).

- "detail": on the supervisee's page, the person's needs and their state, with a link to this app's page;
- "plan": beside the correction plan, the person's vocational trainings and job placements, which count in the
  plan (Community Corrections Law art. 40–42: help with work and training is part of the individual plan).
Both are empty for a user without VIEW_REINTEGRATION, so the pages stay as they were for them.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from zhengtu.accounts.roles import Capability, can

from . import selectors
from .models import PLACEMENT_OUTCOMES


def detail_panel(request: Any, supervisee: Any) -> str:
    if not can(request.user, Capability.VIEW_REINTEGRATION):
        return ""
    needs = selectors.needs_of(request.user, supervisee)[:10]
    return render_to_string(
        "reintegration/panel_detail.html",
        {"supervisee": supervisee, "needs": needs, "may_record": can(request.user, Capability.RECORD_REINTEGRATION)},
        request=request,
    )


def plan_panel(request: Any, supervisee: Any) -> str:
    if not can(request.user, Capability.VIEW_REINTEGRATION):
        return ""
    placements = list(selectors.placements_of(request.user, supervisee))
    counted = [need for need in placements if need.outcome in PLACEMENT_OUTCOMES]
    return render_to_string(
        "reintegration/panel_plan.html",
        {"supervisee": supervisee, "placements": placements, "counted": len(counted)},
        request=request,
    )
