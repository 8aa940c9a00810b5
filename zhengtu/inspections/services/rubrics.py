"""Rubric templates as data: sections of weighted indicators with scoring guides.

A rubric is loaded from a JSON document (``rubrics/standard.json`` ships with Zhengtu) or built on its page.
Once any expert has scored with it, it no longer changes: copy it to make next year's version.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation

from ..models import IndicatorScore, RubricIndicator, RubricSection, RubricTemplate

STANDARD_RUBRIC = Path(__file__).resolve().parent.parent / "rubrics" / "standard.json"


def rubric_in_use(rubric: RubricTemplate) -> bool:
    return IndicatorScore.objects.filter(indicator__section__template=rubric).exists()


def _check_unlocked(rubric: RubricTemplate) -> None:
    if rubric_in_use(rubric):
        raise ValidationError(
            pgettext("inspections", "Experts have already scored with this rubric; copy it to make changes.")
        )


def _weight(raw: object) -> Decimal:
    try:
        weight = Decimal(str(raw))
    except InvalidOperation as error:
        raise ValidationError({"weight": pgettext("inspections", "The weight must be a number of points.")}) from error
    if weight <= 0:
        raise ValidationError({"weight": pgettext("inspections", "The weight must be more than zero points.")})
    return weight


@transaction.atomic
def create_rubric(*, actor: Actor, association: Organisation, data: dict[str, Any]) -> RubricTemplate:
    """Create a rubric from its data: {"name", "description", "sections": [{"title", "indicators": [...]}]}."""
    name = str(data.get("name", "")).strip()
    sections = data.get("sections") or []
    if not name:
        raise ValidationError({"name": pgettext("inspections", "Give the rubric a name.")})
    if not sections or not all(section.get("indicators") for section in sections):
        raise ValidationError(
            pgettext("inspections", "A rubric needs at least one section, and each section at least one indicator.")
        )
    rubric = RubricTemplate.objects.create(
        association=association, name=name[:100], description=str(data.get("description", ""))
    )
    for section_order, section_data in enumerate(sections, start=1):
        section = RubricSection.objects.create(
            template=rubric, title=str(section_data["title"]).strip()[:100], order=section_order
        )
        for order, indicator in enumerate(section_data["indicators"], start=1):
            RubricIndicator.objects.create(
                section=section,
                title=str(indicator["title"]).strip()[:200],
                weight=_weight(indicator["weight"]),
                scoring_guide=str(indicator.get("guide", "")),
                order=order,
            )
    record_event(actor, action=Action.CREATE, target=rubric)
    return rubric


def rubric_data(rubric: RubricTemplate) -> dict[str, Any]:
    """The rubric as data again (to copy it, or to export it)."""
    return {
        "name": rubric.name,
        "description": rubric.description,
        "sections": [
            {
                "title": section.title,
                "indicators": [
                    {"title": i.title, "weight": str(i.weight), "guide": i.scoring_guide}
                    for i in section.indicators.order_by("order", "pk")
                ],
            }
            for section in rubric.sections.order_by("order", "pk")
        ],
    }


def create_standard_rubric(*, actor: Actor, association: Organisation) -> RubricTemplate:
    data = json.loads(STANDARD_RUBRIC.read_text(encoding="utf-8"))
    return create_rubric(actor=actor, association=association, data=data)


def copy_rubric(*, actor: Actor, rubric: RubricTemplate, name: str) -> RubricTemplate:
    data = rubric_data(rubric)
    data["name"] = name
    return create_rubric(actor=actor, association=rubric.association, data=data)


@transaction.atomic
def add_section(*, actor: Actor, rubric: RubricTemplate, title: str) -> RubricSection:
    _check_unlocked(rubric)
    if not title.strip():
        raise ValidationError({"title": pgettext("inspections", "Give the section a title.")})
    order = (rubric.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    section = RubricSection.objects.create(template=rubric, title=title.strip(), order=order)
    record_event(actor, action=Action.UPDATE, target=rubric, detail={"section_added": section.title})
    return section


@transaction.atomic
def add_indicator(
    *, actor: Actor, section: RubricSection, title: str, weight: object, scoring_guide: str = ""
) -> RubricIndicator:
    _check_unlocked(section.template)
    if not title.strip():
        raise ValidationError({"title": pgettext("inspections", "Give the indicator a title.")})
    order = (section.indicators.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    indicator = RubricIndicator(
        section=section, title=title.strip(), weight=_weight(weight), scoring_guide=scoring_guide, order=order
    )
    indicator.full_clean()
    indicator.save()
    record_event(actor, action=Action.UPDATE, target=section.template, detail={"indicator_added": indicator.title})
    return indicator


@transaction.atomic
def remove_indicator(*, actor: Actor, indicator: RubricIndicator) -> None:
    rubric = indicator.section.template
    _check_unlocked(rubric)
    record_event(actor, action=Action.UPDATE, target=rubric, detail={"indicator_removed": indicator.title})
    indicator.delete()
