"""Taking an assessment: start, save drafts, submit (score, level, critical alerts), cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.supervisees.models import Assignment, AssignmentRole, Status, Supervisee
from zhengtu.workdays.calendar import Deadline, WorkingDayCalendar
from zhengtu.workspace.services import notify

from ..models import Assessment, AssessmentMode, AssessmentStatus, CriticalAlert, Instrument, InstrumentVersion
from ..permissions import can_assess, can_view_results
from ..questionnaire import Evaluation, evaluate_answers
from ..rules import report_kinds, report_working_days
from ..scoring import CriticalFinding, ScoreResult, score

CLOSED_STATUSES = (Status.RELEASED, Status.TERMINATED)


class AnswersIncomplete(ValidationError):
    """The questionnaire cannot be scored yet; `evaluation.errors` says why, per question."""

    def __init__(self, evaluation: Evaluation) -> None:
        super().__init__(
            _("%(count)d answers need attention before the questionnaire can be scored.")
            % {"count": len(evaluation.errors)}
        )
        self.evaluation = evaluation


def report_deadline(received_on: dt.date, *, calendar: WorkingDayCalendar | None = None) -> Deadline:
    """The report is due a number of working days (a setting) after the questionnaire was received."""
    calendar = calendar or WorkingDayCalendar.load()
    return calendar.add_working_days(received_on, report_working_days())


def _require_assessor(actor: Actor) -> None:
    acting_user(actor, allows=can_assess, refusal=_("You may not carry out assessments."))


def _new_assessment(
    *,
    actor: Actor,
    supervisee: Supervisee,
    instrument: Instrument | InstrumentVersion,
    mode: str,
    received_on: dt.date | None,
    calendar: WorkingDayCalendar | None,
) -> Assessment:
    """A checked, unsaved questionnaire with its report deadline."""
    _require_assessor(actor)
    version = instrument if isinstance(instrument, InstrumentVersion) else instrument.current_version
    if version is None or not version.instrument.is_active:
        raise ValidationError(_("This instrument is not in use."))
    if supervisee.status in CLOSED_STATUSES:
        raise ValidationError(_("This supervisee's correction has ended; no new assessment can be started."))
    if mode not in AssessmentMode.values:
        raise ValidationError(_("Unknown way of filling in the questionnaire."))
    if mode == AssessmentMode.SELF_REPORT and supervisee.user_id is None:
        raise ValidationError(_("This supervisee has no login account to fill in the questionnaire themselves."))
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date the questionnaire was received cannot be in the future.")})
    assessment = Assessment(
        supervisee=supervisee,
        instrument_version=version,
        office=supervisee.responsible_office,
        mode=mode,
        assessor=actor.user,
        received_on=received_on,
    )
    if version.instrument.kind in report_kinds():
        deadline = report_deadline(received_on, calendar=calendar)
        assessment.due_on = deadline.due
        assessment.due_is_approximate = deadline.is_approximate
    return assessment


def _opening_detail(assessment: Assessment) -> dict[str, object]:
    version = assessment.instrument_version
    return {"instrument": version.instrument.code, "version": version.version, "mode": assessment.mode}


@transaction.atomic
def start_assessment(
    *,
    actor: Actor,
    supervisee: Supervisee,
    instrument: Instrument | InstrumentVersion,
    mode: str = AssessmentMode.INTERVIEW,
    received_on: dt.date | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> Assessment:
    """Open a questionnaire for a supervisee with the instrument's current version.

    `supervisee` and `instrument` must come from the actor's scoped selectors.
    """
    assessment = _new_assessment(
        actor=actor, supervisee=supervisee, instrument=instrument, mode=mode, received_on=received_on, calendar=calendar
    )
    assessment.save()
    record_event(actor, action=Action.CREATE, target=assessment, detail=_opening_detail(assessment))
    return assessment


def _may_fill(actor: Actor, assessment: Assessment) -> None:
    user = actor.user
    if user is None:
        raise PermissionDenied
    if assessment.mode == AssessmentMode.SELF_REPORT and assessment.supervisee.user_id == user.pk:
        return
    _require_assessor(actor)


def _known_answers(assessment: Assessment, given: Mapping[str, object]) -> dict[str, object]:
    names = {item.name for item in assessment.definition.questions}
    return {name: value for name, value in given.items() if name in names}


@transaction.atomic
def save_draft(*, actor: Actor, assessment: Assessment, answers: Mapping[str, object]) -> Evaluation:
    """Keep the answers given so far; nothing is scored. Returns the check (errors shown, not fatal)."""
    _may_fill(actor, assessment)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("This questionnaire has already been scored; it can no longer be changed."))
    evaluation = evaluate_answers(assessment.definition, _known_answers(assessment, answers), final=False)
    assessment.answers = {name: text for name, text in evaluation.raw.items() if text != ""}
    assessment.save(update_fields=["answers", "updated_at"])
    record_event(actor, action=Action.UPDATE, target=assessment, detail={"draft": True})
    return evaluation


def _apply_scores(actor: Actor, assessment: Assessment, given: Mapping[str, object]) -> ScoreResult:
    """Check every answer and put the scores, level and status on `assessment` (not saved).

    Raises AnswersIncomplete, listing every answer that needs attention, before anything changes."""
    definition = assessment.definition
    evaluation = evaluate_answers(definition, given, final=True)
    if not evaluation.is_complete:
        raise AnswersIncomplete(evaluation)
    result = score(definition, evaluation.values, sex=assessment.supervisee.sex)
    assessment.answers = {name: _stored(value) for name, value in evaluation.values.items()}
    assessment.result = {"score": result.to_json()}
    assessment.total_score = result.total
    assessment.computed_level = result.level.level if result.level else ""
    assessment.level = assessment.computed_level
    assessment.level_label = result.level.label if result.level else ""
    assessment.recommended_supervision_level = result.level.supervision_level if result.level else ""
    assessment.has_critical_items = bool(result.critical)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor.user
    return result


def _scored_detail(assessment: Assessment, result: ScoreResult) -> dict[str, object]:
    return {"scored": True, "total": result.total, "level": assessment.level, "critical": len(result.critical)}


@transaction.atomic
def submit_assessment(
    *, actor: Actor, assessment: Assessment, answers: Mapping[str, object] | None = None
) -> Assessment:
    """Check every answer, score, set the level and raise critical alerts. Nothing is written when
    an answer is missing or not allowed (AnswersIncomplete lists them)."""
    _may_fill(actor, assessment)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("This questionnaire has already been scored."))
    given = _known_answers(assessment, answers if answers is not None else locked.answers)
    result = _apply_scores(actor, assessment, given)
    assessment.save()
    record_event(actor, action=Action.UPDATE, target=assessment, detail=_scored_detail(assessment, result))
    if result.critical:
        _raise_critical_alerts(assessment, result.critical)
    return assessment


def _stored(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def responsible_people(supervisee: Supervisee) -> list[User]:
    """The responsible officer and the social workers (and officers) assigned to the supervisee."""
    people: list[User] = [supervisee.responsible_officer] if supervisee.responsible_officer else []
    assigned = Assignment.objects.filter(
        supervisee=supervisee,
        ended_at__isnull=True,
        role__in=[AssignmentRole.SOCIAL_WORKER, AssignmentRole.OFFICER],
    ).select_related("user")
    people.extend(assignment.user for assignment in assigned)
    return people


def _raise_critical_alerts(assessment: Assessment, findings: list[CriticalFinding]) -> None:
    CriticalAlert.objects.bulk_create(
        [
            CriticalAlert(
                assessment=assessment,
                item=finding.item,
                item_label=finding.label[:300],
                answer_label=finding.value_label[:200],
                message=finding.message[:500],
            )
            for finding in findings
        ]
    )
    supervisee = assessment.supervisee
    url = reverse("assessment:detail", args=[assessment.pk])
    notify(
        responsible_people(supervisee),
        title=_("Critical answer: %(name)s, %(instrument)s")
        % {"name": supervisee.name, "instrument": assessment.instrument_version.title},
        body="\n".join(f"{f.label}：{f.value_label}。{f.message}" for f in findings),
        url=url,
        kind="assessment_critical",
    )


@transaction.atomic
def acknowledge_alert(*, actor: Actor, alert: CriticalAlert, action_note: str) -> CriticalAlert:
    """Record what was done about a critical answer; the alert leaves the task list."""
    _require_assessor_or_supervisor(actor)
    note = action_note.strip()
    if not note:
        raise ValidationError({"action_note": _("Say what was done about this answer.")})
    locked = CriticalAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.acknowledged_at is not None:
        raise ValidationError(_("This alert has already been dealt with."))
    locked.acknowledged_by = actor.user
    locked.acknowledged_at = timezone.now()
    locked.action_note = note[:500]
    locked.save(update_fields=["acknowledged_by", "acknowledged_at", "action_note"])
    record_event(actor, action=Action.UPDATE, target=locked.assessment, detail={"critical_alert": locked.pk})
    return locked


def _require_assessor_or_supervisor(actor: Actor) -> None:
    acting_user(actor, allows=can_view_results)


@transaction.atomic
def cancel_assessment(*, actor: Actor, assessment: Assessment, reason: str) -> Assessment:
    """Set aside an invalid questionnaire (e.g. incomplete paper sheet); it leaves the figures."""
    _require_assessor(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if hasattr(locked, "report"):
        raise ValidationError(_("A report has been issued for this assessment; it cannot be cancelled."))
    if locked.status == AssessmentStatus.CANCELLED:
        raise ValidationError(_("This assessment is already cancelled."))
    locked.status = AssessmentStatus.CANCELLED
    locked.cancel_reason = reason[:200]
    locked.save(update_fields=["status", "cancel_reason", "updated_at"])
    record_event(actor, action=Action.STATUS, target=locked, detail={"to": "cancelled", "reason": reason})
    return locked


@transaction.atomic
def take_assessment(
    *,
    actor: Actor,
    supervisee: Supervisee,
    instrument: Instrument | InstrumentVersion,
    answers: Mapping[str, object],
    mode: str = AssessmentMode.INTERVIEW,
    received_on: dt.date | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> Assessment:
    """Start and submit in one step (API, paper imports): one row written and one audit entry, or
    nothing at all when an answer needs attention."""
    assessment = _new_assessment(
        actor=actor, supervisee=supervisee, instrument=instrument, mode=mode, received_on=received_on, calendar=calendar
    )
    result = _apply_scores(actor, assessment, _known_answers(assessment, answers))
    assessment.save()
    detail = {**_opening_detail(assessment), **_scored_detail(assessment, result)}
    record_event(actor, action=Action.CREATE, target=assessment, detail=detail)
    if result.critical:
        _raise_critical_alerts(assessment, result.critical)
    return assessment


@transaction.atomic
def refresh_approximate_deadlines(*, calendar: WorkingDayCalendar | None = None) -> int:
    """Recount deadlines that were counted on the weekday fallback, once the calendar knows the year."""
    calendar = calendar or WorkingDayCalendar.load()
    changed = 0
    for assessment in Assessment.objects.filter(due_is_approximate=True).select_for_update():
        deadline = report_deadline(assessment.received_on, calendar=calendar)
        if deadline.is_approximate:
            continue
        assessment.due_on = deadline.due
        assessment.due_is_approximate = False
        assessment.save(update_fields=["due_on", "due_is_approximate", "updated_at"])
        changed += 1
    return changed
