"""Who may sit on a panel: conflicts of interest (a hard rule) and availability (soft rules).

An expert conflicts with a project when the project's agency or buying bureau lies within an organisation the
expert works for (their employer, or their account's organisation) or declared a conflict with. Conflicts can
never be overridden. Availability — marked available, serving a term that covers the round, not absent during
it, not already on another panel of the round — is enforced by random draws; an administrator choosing an
expert by hand may override it, with a recorded reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import pgettext

from zhengtu.orgs.models import Organisation
from zhengtu.projects.models import ServiceProject

from .models import Expert, ExpertConflict, InspectionRound, Panel, PanelMember
from .rules import rule


def _conflict_organisations(expert: Expert) -> list[tuple[Organisation, str]]:
    organisations: list[tuple[Organisation, str]] = []
    if expert.employer is not None:
        organisations.append((expert.employer, pgettext("inspections", "works for %(organisation)s")))
    account_org = expert.user.organisation if expert.user is not None else None
    if account_org is not None and account_org != expert.employer:
        organisations.append((account_org, pgettext("inspections", "works for %(organisation)s")))
    for conflict in ExpertConflict.objects.filter(expert=expert).select_related("organisation"):
        organisations.append(
            (conflict.organisation, pgettext("inspections", "declared a conflict with %(organisation)s"))
        )
    return organisations


def conflict_reasons(expert: Expert, project: ServiceProject) -> list[str]:
    """Why `expert` must not inspect `project` (empty when there is no conflict)."""
    reasons = []
    for organisation, template in _conflict_organisations(expert):
        if any(side.path.startswith(organisation.path) for side in (project.agency, project.buying_bureau)):
            reasons.append(template % {"organisation": organisation.name})
    return reasons


def panel_conflicts(expert: Expert, panel: Panel) -> list[str]:
    """Conflicts of `expert` with any project already assigned to `panel`."""
    reasons = []
    for inspection in panel.inspections.select_related("project__agency", "project__buying_bureau"):
        for reason in conflict_reasons(expert, inspection.project):
            reasons.append(f"{inspection.project.name}：{reason}")
    return reasons


def availability_problems(expert: Expert, inspection_round: InspectionRound, panel: Panel | None = None) -> list[str]:
    problems = []
    if not expert.is_available:
        problems.append(
            pgettext("inspections", "marked unavailable")
            + (f"（{expert.availability_note}）" if expert.availability_note else "")
        )
    if expert.term_start > inspection_round.starts_on or expert.term_end < inspection_round.ends_on:
        problems.append(pgettext("inspections", "term does not cover the round's dates"))
    absent = expert.absences.filter(starts_on__lte=inspection_round.ends_on, ends_on__gte=inspection_round.starts_on)
    if absent.exists():
        problems.append(pgettext("inspections", "absent during the round"))
    if rule("inspection_one_panel_per_round"):
        elsewhere = PanelMember.objects.filter(expert=expert, panel__round=inspection_round)
        if panel is not None:
            elsewhere = elsewhere.exclude(panel=panel)
        if elsewhere.exists():
            problems.append(pgettext("inspections", "already on another panel of this round"))
    return problems


@dataclass
class Eligibility:
    eligible: list[Expert] = field(default_factory=list)
    excluded: dict[int, list[str]] = field(default_factory=dict)


def eligibility_for(panel: Panel) -> Eligibility:
    """Every expert of the round's association not yet on the panel, sorted by id: eligible or why not."""
    result = Eligibility()
    inspection_round = panel.round
    seated = panel.members.values("expert_id")
    experts = (
        Expert.objects.filter(association=inspection_round.association)
        .exclude(pk__in=seated)
        .select_related("employer", "user__organisation")
        .order_by("pk")
    )
    for expert in experts:
        reasons = panel_conflicts(expert, panel) + availability_problems(expert, inspection_round, panel)
        if reasons:
            result.excluded[expert.pk] = reasons
        else:
            result.eligible.append(expert)
    return result


def experts_on_panel_conflicting(panel: Panel, project: ServiceProject) -> list[str]:
    """For assigning `project` to `panel`: each member who conflicts with it, with the reason."""
    reasons = []
    for member in panel.members.select_related("expert__employer", "expert__user__organisation"):
        for reason in conflict_reasons(member.expert, project):
            reasons.append(f"{member.expert.name}：{reason}")
    return reasons
