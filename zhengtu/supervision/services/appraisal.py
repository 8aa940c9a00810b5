"""Appraisals (考核) feeding the level review (分类管理) and the correction plan's reviews (个别化矫正)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.supervisees.models import Supervisee, SupervisionLevel

from ..models import Appraisal, AppraisalGrade, AppraisalPeriod, LevelChangeSource, PlanReview
from ..rules import appraisal_rule
from .access import NOT_ALLOWED, require_under_supervision
from .intake import update_correction_plan
from .levels import change_supervision_level

GOOD_GRADES = (AppraisalGrade.EXCELLENT, AppraisalGrade.GOOD)
POOR_GRADES = (AppraisalGrade.POOR, AppraisalGrade.BAD)
LOOSER = {SupervisionLevel.STRICT: SupervisionLevel.STANDARD, SupervisionLevel.STANDARD: SupervisionLevel.LENIENT}


def grade_for(score: int) -> str:
    floors: dict[str, int] = appraisal_rule("grade_floors")
    for grade in (AppraisalGrade.EXCELLENT, AppraisalGrade.GOOD, AppraisalGrade.FAIR, AppraisalGrade.POOR):
        if score >= int(floors[grade]):
            return grade
    return AppraisalGrade.BAD


def _suggested_level(supervisee: Supervisee, period: str) -> str:
    """A run of good quarters suggests one level looser; a run of poor months suggests strict."""
    if period == AppraisalPeriod.QUARTER:
        count = int(appraisal_rule("looser_after_good_quarters"))
        recent = list(Appraisal.objects.filter(supervisee=supervisee, period=period).order_by("-period_start")[:count])
        if len(recent) == count and all(a.grade in GOOD_GRADES for a in recent):
            return LOOSER.get(SupervisionLevel(supervisee.supervision_level), "")
    else:
        count = int(appraisal_rule("strict_after_poor_months"))
        recent = list(Appraisal.objects.filter(supervisee=supervisee, period=period).order_by("-period_start")[:count])
        if len(recent) == count and all(a.grade in POOR_GRADES for a in recent):
            return "" if supervisee.supervision_level == SupervisionLevel.STRICT else SupervisionLevel.STRICT
    return ""


@transaction.atomic
def record_appraisal(
    *, actor: Actor, supervisee: Supervisee, period: str, period_start: dt.date, score: int, notes: str = ""
) -> Appraisal:
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    errors: dict[str, str] = {}
    if period not in AppraisalPeriod.values:
        errors["period"] = _("Choose monthly or quarterly.")
    elif period_start.day != 1 or (period == AppraisalPeriod.QUARTER and period_start.month not in (1, 4, 7, 10)):
        errors["period_start"] = _("A period starts on the first day of a month (of a quarter for quarterly).")
    if period_start > timezone.localdate():
        errors["period_start"] = _("The period cannot start in the future.")
    if not 0 <= score <= 100:
        errors["score"] = _("The score lies between 0 and 100.")
    if Appraisal.objects.filter(supervisee=supervisee, period=period, period_start=period_start).exists():
        errors["period_start"] = _("This period is already appraised.")
    if errors:
        raise ValidationError(errors)
    appraisal = Appraisal.objects.create(
        supervisee=supervisee,
        period=period,
        period_start=period_start,
        score=score,
        grade=grade_for(score),
        notes=notes.strip(),
        recorded_by=user,
    )
    appraisal.suggested_level = _suggested_level(supervisee, period)
    appraisal.save(update_fields=["suggested_level"])
    record_event(
        actor,
        action=Action.CREATE,
        target=appraisal,
        detail={"grade": appraisal.grade, "suggests": appraisal.suggested_level},
    )
    return appraisal


@transaction.atomic
def apply_level_suggestion(*, actor: Actor, appraisal: Appraisal) -> Appraisal:
    """The officer adopts the level the appraisals suggest: a periodic review in the level history."""
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    if not appraisal.suggested_level or appraisal.level_applied:
        raise ValidationError(_("This appraisal suggests no change of level."))
    change_supervision_level(
        actor=actor,
        supervisee=appraisal.supervisee,
        to_level=appraisal.suggested_level,
        source=LevelChangeSource.REVIEW,
        reason=_("Appraisal %(period)s: %(grade)s")
        % {"period": appraisal.period_start.strftime("%Y-%m"), "grade": appraisal.get_grade_display()},
    )
    appraisal.level_applied = True
    appraisal.save(update_fields=["level_applied"])
    return appraisal


@transaction.atomic
def review_plan(
    *,
    actor: Actor,
    supervisee: Supervisee,
    reviewed_on: dt.date,
    findings: str,
    plan_changes: str = "",
    appraisal: Appraisal | None = None,
) -> PlanReview:
    """The team reviews the individual plan; changes, if any, become the plan's new measures."""
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    if not findings.strip():
        raise ValidationError({"findings": _("Write down what the team found.")})
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("The date cannot be in the future.")})
    if appraisal is not None and appraisal.supervisee_id != supervisee.pk:
        raise ValidationError({"appraisal": _("Choose an appraisal of this person.")})
    review = PlanReview.objects.create(
        supervisee=supervisee,
        reviewed_on=reviewed_on,
        findings=findings.strip(),
        plan_changes=plan_changes.strip(),
        appraisal=appraisal,
        reviewed_by=user,
    )
    if plan_changes.strip():
        current = getattr(supervisee, "supervision_file", None)
        update_correction_plan(
            actor=actor,
            supervisee=supervisee,
            correction_plan=(current.correction_plan if current and current.correction_plan else plan_changes),
            plan_measures=plan_changes,
        )
    record_event(actor, action=Action.CREATE, target=review, detail={"supervisee": supervisee.pk})
    return review
