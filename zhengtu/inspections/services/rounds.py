"""Rounds, the projects in them, panels (drawn at random within the rules or chosen by hand) and their course."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation
from zhengtu.projects.models import ServiceProject
from zhengtu.workspace.services import notify

from ..eligibility import availability_problems, eligibility_for, experts_on_panel_conflicting, panel_conflicts
from ..models import (
    Expert,
    InspectionRound,
    InspectionStatus,
    Panel,
    PanelDraw,
    PanelMember,
    ProjectInspection,
    RoundStatus,
    RubricTemplate,
    Scoresheet,
    Selection,
    Specialty,
)

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

ROUND_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "basis",
    "aims",
    "content",
    "overall_picture",
    "common_problems",
    "recommendations",
)


def _check_dates(inspection_round: InspectionRound) -> None:
    if inspection_round.ends_on < inspection_round.starts_on:
        raise ValidationError({"ends_on": pgettext("inspections", "The round must end on or after its first day.")})


def _check_not_completed(inspection_round: InspectionRound) -> None:
    if inspection_round.status == RoundStatus.COMPLETED:
        raise ValidationError(pgettext("inspections", "This round is completed and can no longer change."))


@transaction.atomic
def create_round(
    *,
    actor: Actor,
    association: Organisation,
    title: str,
    rubric: RubricTemplate,
    starts_on: dt.date,
    ends_on: dt.date,
    basis: str = "",
    aims: str = "",
    content: str = "",
) -> InspectionRound:
    if rubric.association_id != association.pk:
        raise ValidationError({"rubric": pgettext("inspections", "Choose one of your association's rubrics.")})
    inspection_round = InspectionRound(
        association=association,
        title=title.strip(),
        rubric=rubric,
        starts_on=starts_on,
        ends_on=ends_on,
        basis=basis,
        aims=aims,
        content=content,
        created_by=actor.user,
    )
    _check_dates(inspection_round)
    inspection_round.full_clean()
    inspection_round.save()
    record_event(actor, action=Action.CREATE, target=inspection_round)
    return inspection_round


@transaction.atomic
def update_round(*, actor: Actor, inspection_round: InspectionRound, **fields: object) -> InspectionRound:
    """Dates and title until the round is completed; the report's narrative at any time."""
    changed = []
    for name, value in fields.items():
        if name not in ROUND_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(inspection_round, name) != value:
            if name in ("title", "starts_on", "ends_on"):
                _check_not_completed(inspection_round)
            changed.append(name)
            setattr(inspection_round, name, value)
    _check_dates(inspection_round)
    inspection_round.full_clean()
    inspection_round.save()
    record_event(actor, action=Action.UPDATE, target=inspection_round, detail={"changed": changed})
    return inspection_round


@transaction.atomic
def add_projects(
    *, actor: Actor, inspection_round: InspectionRound, projects: Iterable[ServiceProject]
) -> list[ProjectInspection]:
    _check_not_completed(inspection_round)
    already = set(inspection_round.inspections.values_list("project_id", flat=True))
    status = (
        InspectionStatus.SCORING if inspection_round.status == RoundStatus.IN_PROGRESS else InspectionStatus.PLANNED
    )
    added = [
        ProjectInspection.objects.create(round=inspection_round, project=project, status=status)
        for project in projects
        if project.pk not in already
    ]
    if added:
        record_event(
            actor,
            action=Action.UPDATE,
            target=inspection_round,
            detail={"projects_added": [i.project_id for i in added]},
        )
    return added


@transaction.atomic
def remove_inspection(*, actor: Actor, inspection: ProjectInspection) -> None:
    if inspection.scoresheets.exists():
        raise ValidationError(
            pgettext("inspections", "Experts have started scoring this project; it cannot be taken out of the round.")
        )
    record_event(actor, action=Action.DELETE, target=inspection, detail={"round": inspection.round_id})
    inspection.delete()


def _panel_users(inspection_round: InspectionRound) -> list[User]:
    members = PanelMember.objects.filter(panel__round=inspection_round, expert__user__isnull=False)
    return [m.expert.user for m in members.select_related("expert__user") if m.expert.user is not None]


@transaction.atomic
def start_round(*, actor: Actor, inspection_round: InspectionRound) -> InspectionRound:
    if inspection_round.status != RoundStatus.PLANNED:
        raise ValidationError(pgettext("inspections", "Only a planned round can be started."))
    if not inspection_round.inspections.exists():
        raise ValidationError(pgettext("inspections", "Add the projects to inspect before starting the round."))
    if inspection_round.inspections.filter(panel__isnull=True).exists():
        raise ValidationError(pgettext("inspections", "Assign a panel to every project before starting the round."))
    inspection_round.status = RoundStatus.IN_PROGRESS
    inspection_round.save(update_fields=["status"])
    inspection_round.inspections.filter(status=InspectionStatus.PLANNED).update(status=InspectionStatus.SCORING)
    record_event(actor, action=Action.STATUS, target=inspection_round, detail={"to": RoundStatus.IN_PROGRESS})
    notify(
        _panel_users(inspection_round),
        title=pgettext("inspections", "Supervision inspection started: %(title)s") % {"title": inspection_round.title},
        body=pgettext("inspections", "Please score the projects assigned to your panel."),
        url=reverse("inspections:round-detail", args=[inspection_round.pk]),
        kind="inspection_started",
    )
    return inspection_round


@transaction.atomic
def complete_round(*, actor: Actor, inspection_round: InspectionRound) -> InspectionRound:
    if inspection_round.status != RoundStatus.IN_PROGRESS:
        raise ValidationError(pgettext("inspections", "Only a round in progress can be completed."))
    open_count = inspection_round.inspections.exclude(status=InspectionStatus.FINALISED).count()
    if open_count:
        raise ValidationError(
            pgettext("inspections", "%(count)d project inspections are not finalised yet.") % {"count": open_count}
        )
    inspection_round.status = RoundStatus.COMPLETED
    inspection_round.save(update_fields=["status"])
    record_event(actor, action=Action.STATUS, target=inspection_round, detail={"to": RoundStatus.COMPLETED})
    return inspection_round


@transaction.atomic
def create_panel(*, actor: Actor, inspection_round: InspectionRound, name: str) -> Panel:
    _check_not_completed(inspection_round)
    name = name.strip()
    if not name:
        raise ValidationError({"name": pgettext("inspections", "Give the panel a name.")})
    if inspection_round.panels.filter(name=name).exists():
        raise ValidationError({"name": pgettext("inspections", "This round already has a panel with this name.")})
    panel = Panel.objects.create(round=inspection_round, name=name)
    record_event(actor, action=Action.CREATE, target=panel, detail={"round": inspection_round.pk})
    return panel


@transaction.atomic
def assign_panel(*, actor: Actor, inspection: ProjectInspection, panel: Panel | None) -> ProjectInspection:
    _check_not_completed(inspection.round)
    if panel is not None and panel.round_id != inspection.round_id:
        raise ValidationError({"panel": pgettext("inspections", "Choose a panel of the same round.")})
    if inspection.scoresheets.exists() and panel != inspection.panel:
        raise ValidationError(
            pgettext("inspections", "Experts have started scoring this project; its panel can no longer change.")
        )
    if panel is not None:
        conflicts = experts_on_panel_conflicting(panel, inspection.project)
        if conflicts:
            raise ValidationError(
                pgettext(
                    "inspections", "This panel cannot inspect the project because of conflicts of interest: %(list)s"
                )
                % {"list": "；".join(conflicts)}
            )
    inspection.panel = panel
    inspection.save(update_fields=["panel"])
    record_event(actor, action=Action.UPDATE, target=inspection, detail={"panel": panel.pk if panel else None})
    if panel is not None and inspection.round.status == RoundStatus.IN_PROGRESS:
        notify(
            [m.expert.user for m in panel.members.select_related("expert__user")],
            title=pgettext("inspections", "A project was assigned to your panel: %(project)s")
            % {"project": inspection.project.name},
            url=reverse("inspections:inspection-detail", args=[inspection.pk]),
            kind="inspection_assigned",
        )
    return inspection


@transaction.atomic
def schedule_visit(
    *, actor: Actor, inspection: ProjectInspection, visit_on: dt.date | None, summary: str
) -> ProjectInspection:
    inspection.visit_on = visit_on
    inspection.summary = summary
    inspection.save(update_fields=["visit_on", "summary"])
    record_event(actor, action=Action.UPDATE, target=inspection, detail={"visit_on": str(visit_on or "")})
    return inspection


def _seat(
    actor: Actor, panel: Panel, expert: Expert, selection: str, reason: str, draw: PanelDraw | None
) -> PanelMember:
    is_leader = not panel.members.filter(is_leader=True).exists()
    return PanelMember.objects.create(
        panel=panel,
        expert=expert,
        selection=selection,
        reason=reason,
        draw=draw,
        is_leader=is_leader,
        added_by=actor.user,
    )


def _pick(
    generator: random.Random,
    candidates: Sequence[tuple[int, str]],
    covered: set[str],
    required: Sequence[str],
    needed: int,
) -> list[int]:
    """The draw itself: one expert per required specialty not yet covered, then the rest at random."""
    chosen: list[int] = []
    covered = set(covered)
    for specialty in dict.fromkeys(required):
        if specialty in covered:
            continue
        pool = [pk for pk, own in candidates if own == specialty and pk not in chosen]
        if not pool:
            raise ValidationError(
                pgettext(
                    "inspections", "No eligible expert in the specialty “%(specialty)s” is available for this panel."
                )
                % {"specialty": Specialty(specialty).label}
            )
        chosen.append(generator.choice(pool))
        covered.add(specialty)
    if len(chosen) > needed:
        raise ValidationError({"size": pgettext("inspections", "The panel is too small for the required specialties.")})
    rest = [pk for pk, _specialty in candidates if pk not in chosen]
    if len(rest) < needed - len(chosen):
        raise ValidationError(
            pgettext("inspections", "Only %(count)d eligible experts are available; the panel needs %(needed)d more.")
            % {"count": len(candidates), "needed": needed}
        )
    chosen.extend(generator.sample(rest, needed - len(chosen)))
    return chosen


@transaction.atomic
def draw_panel(
    *,
    actor: Actor,
    panel: Panel,
    size: int,
    required_specialties: Sequence[str] = (),
    seed: int | None = None,
) -> PanelDraw:
    """Fill the panel up to `size` members at random among eligible experts, one per required specialty first.

    The seed, the candidates (in id order, with their specialties), the specialties already on the panel and
    the result are recorded: `replay_draw` runs `random.Random(seed)` over the same data and must give the
    same experts.
    """
    _check_not_completed(panel.round)
    if size < 1:
        raise ValidationError({"size": pgettext("inspections", "A panel needs at least one expert.")})
    for specialty in required_specialties:
        if specialty not in Specialty.values:
            raise ValidationError(
                {"required_specialties": pgettext("inspections", "Choose specialties from the list.")}
            )
    seated = list(panel.members.select_related("expert"))
    needed = size - len(seated)
    if needed <= 0:
        raise ValidationError(
            {"size": pgettext("inspections", "The panel already has %(count)d members.") % {"count": len(seated)}}
        )
    eligibility = eligibility_for(panel)
    candidates = [(expert.pk, expert.specialty) for expert in eligibility.eligible]
    covered = sorted({member.expert.specialty for member in seated})
    seed = seed if seed is not None else secrets.randbits(48)
    # A recorded, replayable draw is the point here; the seed is not a secret.
    chosen_ids = _pick(random.Random(seed), candidates, set(covered), required_specialties, needed)  # noqa: S311
    draw = PanelDraw.objects.create(
        panel=panel,
        seed=seed,
        size=size,
        required_specialties=list(required_specialties),
        candidate_ids=[list(candidate) for candidate in candidates],
        covered_specialties=covered,
        needed=needed,
        excluded={str(pk): reasons for pk, reasons in eligibility.excluded.items()},
        chosen_ids=chosen_ids,
        drawn_by=actor.user,
    )
    experts = Expert.objects.in_bulk(chosen_ids)
    for pk in chosen_ids:
        _seat(actor, panel, experts[pk], Selection.DRAWN, "", draw)
    record_event(
        actor,
        action=Action.UPDATE,
        target=panel,
        detail={"draw": draw.pk, "seed": seed, "chosen": chosen_ids, "candidates": [pk for pk, _s in candidates]},
    )
    return draw


def replay_draw(draw: PanelDraw) -> list[int]:
    """Run a recorded draw again over its recorded data (to check it was fair): returns the experts it picks."""
    candidates = [(int(pk), str(specialty)) for pk, specialty in draw.candidate_ids]
    generator = random.Random(draw.seed)  # noqa: S311
    return _pick(generator, candidates, set(draw.covered_specialties), draw.required_specialties, draw.needed)


@transaction.atomic
def add_panel_member(*, actor: Actor, panel: Panel, expert: Expert, reason: str) -> PanelMember:
    """Choose an expert by hand. Conflicts of interest are refused; other rules may be overridden with a reason."""
    _check_not_completed(panel.round)
    if expert.association_id != panel.round.association_id:
        raise ValidationError({"expert": pgettext("inspections", "Choose an expert of your association's pool.")})
    if not reason.strip():
        raise ValidationError({"reason": pgettext("inspections", "Record why this expert was chosen by hand.")})
    if panel.members.filter(expert=expert).exists():
        raise ValidationError({"expert": pgettext("inspections", "This expert is already on the panel.")})
    conflicts = panel_conflicts(expert, panel)
    if conflicts:
        raise ValidationError(
            {"expert": pgettext("inspections", "Conflict of interest: %(list)s") % {"list": "；".join(conflicts)}}
        )
    overridden = availability_problems(expert, panel.round, panel)
    member = _seat(actor, panel, expert, Selection.CHOSEN, reason.strip(), None)
    record_event(
        actor,
        action=Action.UPDATE,
        target=panel,
        detail={"chosen": expert.pk, "reason": reason.strip(), "overridden": overridden},
    )
    return member


@transaction.atomic
def remove_panel_member(*, actor: Actor, member: PanelMember) -> None:
    _check_not_completed(member.panel.round)
    if Scoresheet.objects.filter(expert=member.expert, inspection__panel=member.panel).exists():
        raise ValidationError(
            pgettext("inspections", "This expert has already scored for the panel and cannot be removed.")
        )
    record_event(actor, action=Action.UPDATE, target=member.panel, detail={"removed": member.expert_id})
    was_leader = member.is_leader
    panel = member.panel
    member.delete()
    if was_leader:
        successor = panel.members.order_by("pk").first()
        if successor is not None:
            successor.is_leader = True
            successor.save(update_fields=["is_leader"])


@transaction.atomic
def make_leader(*, actor: Actor, member: PanelMember) -> PanelMember:
    member.panel.members.update(is_leader=False)
    member.is_leader = True
    member.save(update_fields=["is_leader"])
    record_event(actor, action=Action.UPDATE, target=member.panel, detail={"leader": member.expert_id})
    return member


def _agency_managers(inspection: ProjectInspection) -> list[User]:
    from zhengtu.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True, role=Role.AGENCY_MANAGER, organisation__path__startswith=inspection.project.agency.path
        )
    )


@transaction.atomic
def finalise_inspection(*, actor: Actor, inspection: ProjectInspection) -> ProjectInspection:
    if inspection.status == InspectionStatus.FINALISED:
        raise ValidationError(pgettext("inspections", "This inspection is already finalised."))
    if not inspection.scoresheets.filter(submitted_at__isnull=False).exists():
        raise ValidationError(pgettext("inspections", "No expert has submitted a scoresheet yet."))
    inspection.status = InspectionStatus.FINALISED
    inspection.finalised_by = actor.user
    inspection.finalised_at = timezone.now()
    inspection.save(update_fields=["status", "finalised_by", "finalised_at"])
    record_event(actor, action=Action.STATUS, target=inspection, detail={"to": InspectionStatus.FINALISED})
    notify(
        _agency_managers(inspection),
        title=pgettext("inspections", "Inspection results are available: %(project)s")
        % {"project": inspection.project.name},
        url=reverse("inspections:inspection-detail", args=[inspection.pk]),
        kind="inspection_finalised",
    )
    return inspection


@transaction.atomic
def reopen_inspection(*, actor: Actor, inspection: ProjectInspection, reason: str) -> ProjectInspection:
    _check_not_completed(inspection.round)
    if inspection.status != InspectionStatus.FINALISED:
        raise ValidationError(pgettext("inspections", "Only a finalised inspection can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": pgettext("inspections", "Record why the inspection is reopened.")})
    inspection.status = InspectionStatus.SCORING
    inspection.save(update_fields=["status"])
    record_event(
        actor, action=Action.STATUS, target=inspection, detail={"to": InspectionStatus.SCORING, "reason": reason}
    )
    return inspection
