"""Each expert's own scoresheet: saved as a draft while visiting, then submitted once and for all."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.workspace.services import notify

from ..models import (
    Expert,
    IndicatorScore,
    InspectionStatus,
    ProjectInspection,
    RoundStatus,
    RubricIndicator,
    Scoresheet,
)


def indicators_of(inspection: ProjectInspection) -> list[RubricIndicator]:
    return list(
        RubricIndicator.objects.filter(section__template_id=inspection.round.rubric_id)
        .select_related("section")
        .order_by("section__order", "section__pk", "order", "pk")
    )


@transaction.atomic
def save_scoresheet(
    *,
    actor: Actor,
    inspection: ProjectInspection,
    expert: Expert,
    points: Mapping[int, Decimal | None],
    notes: Mapping[int, str] | None = None,
    comment: str = "",
    submit: bool = False,
) -> Scoresheet:
    """Save the expert's points per indicator (id → points); with `submit`, every indicator must be scored."""
    if inspection.round.status != RoundStatus.IN_PROGRESS:
        raise ValidationError(pgettext("inspections", "Scoring is open only while the round is in progress."))
    if inspection.status == InspectionStatus.FINALISED:
        raise ValidationError(pgettext("inspections", "This inspection is finalised; scores can no longer change."))
    if inspection.panel_id is None or not inspection.panel.members.filter(expert=expert).exists():  # type: ignore[union-attr]
        raise ValidationError(
            pgettext("inspections", "Only members of the panel assigned to this project can score it.")
        )
    sheet = Scoresheet.objects.select_for_update().filter(inspection=inspection, expert=expert).first()
    if sheet is not None and sheet.submitted_at is not None:
        raise ValidationError(pgettext("inspections", "You have already submitted your scores for this project."))
    notes = notes or {}
    errors: dict[str, str] = {}
    indicators = indicators_of(inspection)
    for indicator in indicators:
        value = points.get(indicator.pk)
        if value is None:
            if submit:
                errors[f"indicator_{indicator.pk}"] = pgettext("inspections", "Score this indicator before submitting.")
        elif value < 0 or value > indicator.weight:
            errors[f"indicator_{indicator.pk}"] = pgettext("inspections", "Give between 0 and %(max)s points.") % {
                "max": indicator.weight
            }
        elif value * 2 != (value * 2).to_integral_value():
            errors[f"indicator_{indicator.pk}"] = pgettext("inspections", "Points go in steps of 0.5.")
    if errors:
        raise ValidationError(errors)
    if sheet is None:
        sheet = Scoresheet.objects.create(inspection=inspection, expert=expert)
    for indicator in indicators:
        value = points.get(indicator.pk)
        if value is None:
            IndicatorScore.objects.filter(scoresheet=sheet, indicator=indicator).delete()
        else:
            IndicatorScore.objects.update_or_create(
                scoresheet=sheet,
                indicator=indicator,
                defaults={"points": value, "note": notes.get(indicator.pk, "").strip()[:300]},
            )
    sheet.comment = comment.strip()
    if submit:
        sheet.submitted_at = timezone.now()
    sheet.save()
    record_event(
        actor,
        action=Action.UPDATE,
        target=sheet,
        detail={"submitted": submit, "scored": sum(1 for i in indicators if points.get(i.pk) is not None)},
    )
    return sheet


@transaction.atomic
def reopen_scoresheet(*, actor: Actor, scoresheet: Scoresheet, reason: str) -> Scoresheet:
    """Give a submitted scoresheet back to its expert (e.g. after the panel discussed a large disagreement)."""
    if scoresheet.inspection.status == InspectionStatus.FINALISED:
        raise ValidationError(pgettext("inspections", "This inspection is finalised; reopen the inspection first."))
    if scoresheet.submitted_at is None:
        raise ValidationError(pgettext("inspections", "This scoresheet has not been submitted."))
    if not reason.strip():
        raise ValidationError({"reason": pgettext("inspections", "Record why the scoresheet is given back.")})
    scoresheet.submitted_at = None
    scoresheet.save(update_fields=["submitted_at", "updated_at"])
    record_event(actor, action=Action.STATUS, target=scoresheet, detail={"reopened": True, "reason": reason.strip()})
    notify(
        [scoresheet.expert.user],
        title=pgettext("inspections", "Your scoresheet was given back: %(project)s")
        % {"project": scoresheet.inspection.project.name},
        body=reason.strip(),
        url=reverse("inspections:inspection-score", args=[scoresheet.inspection_id]),
        kind="scoresheet_reopened",
    )
    return scoresheet
