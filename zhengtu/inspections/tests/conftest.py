"""An expert pool and a round over three projects, on top of the association test world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from zhengtu.association.tests.builders import AssociationWorld, build_association_world
from zhengtu.inspections.models import Expert, InspectionRound, ProjectInspection, RubricTemplate, Specialty
from zhengtu.inspections.services import experts as expert_services
from zhengtu.inspections.services import rounds as round_services
from zhengtu.inspections.services.rubrics import create_standard_rubric
from zhengtu.inspections.services.scoresheets import indicators_of, save_scoresheet

TERM = (dt.date(2026, 1, 1), dt.date(2028, 12, 31))


@dataclass
class InspectionWorld:
    aw: AssociationWorld
    rubric: RubricTemplate
    inspectors: list[Expert]  # with accounts: social work, finance, law
    agency_insider: Expert  # works for agency A: conflicts with project A and the city project
    county_b_conflict: Expert  # declared a conflict with county B's bureau
    unavailable: Expert
    round: InspectionRound
    inspection_a: ProjectInspection
    inspection_b: ProjectInspection
    inspection_city: ProjectInspection


def add_expert(aw: AssociationWorld, name: str, specialty: str, **fields: object) -> Expert:
    return expert_services.create_expert(
        actor=aw.admin_actor,
        association=aw.association,
        name=name,
        specialty=specialty,
        term_start=TERM[0],
        term_end=TERM[1],
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def aw(world) -> AssociationWorld:  # type: ignore[no-untyped-def]
    return build_association_world(world)


@pytest.fixture
def iw(aw: AssociationWorld) -> InspectionWorld:
    actor = aw.admin_actor
    rubric = create_standard_rubric(actor=actor, association=aw.association)
    specialties = [Specialty.SOCIAL_WORK, Specialty.FINANCE, Specialty.LAW]
    inspectors = [
        add_expert(aw, user.full_name, specialty, user=user, title="副教授")
        for user, specialty in zip(aw.inspectors, specialties, strict=True)
    ]
    insider = add_expert(aw, "机构内专家", Specialty.SOCIAL_WORK, employer=aw.base.agency_a)
    county_b_conflict = add_expert(aw, "曾任职辰溪专家", Specialty.CORRECTIONS)
    expert_services.declare_conflict(
        actor=actor, expert=county_b_conflict, organisation=aw.base.county_b, reason="曾任职"
    )
    unavailable = add_expert(aw, "出国专家", Specialty.PSYCHOLOGY, is_available=False, availability_note="访学")
    inspection_round = round_services.create_round(
        actor=actor,
        association=aw.association,
        title="2026年度司法社会工作项目督导巡查",
        rubric=rubric,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 30),
        basis="根据《关于开展2026年度司法社会工作项目督导巡查工作的通知》。",
    )
    a, b, city = round_services.add_projects(
        actor=actor, inspection_round=inspection_round, projects=[aw.project_a, aw.project_b, aw.project_city]
    )
    return InspectionWorld(
        aw=aw,
        rubric=rubric,
        inspectors=inspectors,
        agency_insider=insider,
        county_b_conflict=county_b_conflict,
        unavailable=unavailable,
        round=inspection_round,
        inspection_a=a,
        inspection_b=b,
        inspection_city=city,
    )


def seat_panel(iw: InspectionWorld, name: str, experts: list[Expert], inspections: list[ProjectInspection]):  # type: ignore[no-untyped-def]
    """A panel chosen by hand, assigned to the inspections."""
    actor = iw.aw.admin_actor
    panel = round_services.create_panel(actor=actor, inspection_round=iw.round, name=name)
    for expert in experts:
        round_services.add_panel_member(actor=actor, panel=panel, expert=expert, reason="熟悉该领域")
    for inspection in inspections:
        round_services.assign_panel(actor=actor, inspection=inspection, panel=panel)
    return panel


def score_total(iw: InspectionWorld, inspection: ProjectInspection, expert: Expert, total: str, submit: bool = True):  # type: ignore[no-untyped-def]
    """Full points everywhere, minus (100 − total) taken from the heaviest indicators: the total is exact."""
    indicators = indicators_of(inspection)
    points = {indicator.pk: indicator.weight for indicator in indicators}
    deficit = Decimal(100) - Decimal(total)
    for indicator in sorted(indicators, key=lambda i: -i.weight):
        taken = min(deficit, indicator.weight)
        points[indicator.pk] -= taken
        deficit -= taken
    return save_scoresheet(actor=iw.aw.admin_actor, inspection=inspection, expert=expert, points=points, submit=submit)
