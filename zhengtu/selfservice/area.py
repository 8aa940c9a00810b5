"""Is a position inside the area the person may be in? The monitoring fences that apply to them decide.

The same fences a wristband is checked against (the person's own, and those of their office and the offices above):
an inclusion fence in force must contain the point, an exclusion fence in force must not. With no fence in force,
nothing is known to be wrong and the position is not flagged (the note says so to the officer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from zhengtu.monitoring.directory import compile_model_fence
from zhengtu.monitoring.models import Fence
from zhengtu.supervisees.models import Supervisee


@dataclass(frozen=True)
class AreaVerdict:
    inside: bool
    note: str


def check_area(supervisee: Supervisee, *, latitude: float, longitude: float, at: dt.datetime) -> AreaVerdict:
    office_path = supervisee.responsible_office.path
    fences = [
        compile_model_fence(fence)
        for fence in Fence.objects.filter(is_active=True)
        .filter(Q(supervisee=supervisee) | Q(supervisee__isnull=True))
        .select_related("organisation")
        if fence.supervisee_id is not None or office_path.startswith(fence.organisation.path)
    ]
    in_force = [fence for fence in fences if fence.active_at(at)]
    if not in_force:
        return AreaVerdict(inside=True, note=_("No fence applies to this person at this time."))
    violated = [fence.name for fence in in_force if fence.violated_by(latitude, longitude)]
    if violated:
        return AreaVerdict(inside=False, note=_("Outside: %(fences)s") % {"fences": "、".join(violated)[:150]})
    return AreaVerdict(
        inside=True, note=_("Inside: %(fences)s") % {"fences": "、".join(f.name for f in in_force)[:150]}
    )
