"""Professional overrides of a computed level: a reason, then a second person's approval."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.workspace.services import notify

from ..models import Assessment, AssessmentStatus, LevelOverride, OverrideStatus
from ..permissions import can_assess, may_approve_override

MINIMUM_REASON_LENGTH = 10


def override_choices(assessment: Assessment) -> list[tuple[str, str]]:
    """The levels the instrument defines for its overall result, lowest first."""
    definition = assessment.definition
    return [(cutoff.level, cutoff.label) for cutoff in definition.levels_for(definition.level_target)]


@transaction.atomic
def request_override(*, actor: Actor, assessment: Assessment, to_level: str, reason: str) -> LevelOverride:
    user: User = acting_user(actor, allows=can_assess, refusal=_("You may not carry out assessments."))
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Only a scored assessment can have its level changed."))
    if hasattr(locked, "report"):
        raise ValidationError(_("The report has been issued; the level can no longer be changed."))
    if locked.overrides.filter(status=OverrideStatus.PENDING).exists():
        raise ValidationError(_("A change of level is already waiting for approval."))
    labels = dict(override_choices(locked))
    errors = {}
    if to_level not in labels:
        errors["to_level"] = _("Choose one of the instrument's levels.")
    elif to_level == locked.level:
        errors["to_level"] = _("This is the current level already.")
    if len(reason.strip()) < MINIMUM_REASON_LENGTH:
        errors["reason"] = _("Explain the reason in at least %(n)d characters.") % {"n": MINIMUM_REASON_LENGTH}
    if errors:
        raise ValidationError(errors)
    override = LevelOverride.objects.create(
        assessment=locked,
        from_level=locked.level,
        from_label=locked.level_label,
        to_level=to_level,
        to_label=labels[to_level],
        reason=reason.strip(),
        requested_by=user,
    )
    record_event(
        actor,
        action=Action.CREATE,
        target=override,
        detail={"assessment": locked.pk, "from": locked.level, "to": to_level},
    )
    return override


@transaction.atomic
def decide_override(*, actor: Actor, override: LevelOverride, approve: bool, note: str = "") -> LevelOverride:
    """Approve or reject. The approver is a second person: not the requester, not the assessor."""
    locked = LevelOverride.objects.select_for_update().select_related("assessment").get(pk=override.pk)
    assessment = locked.assessment
    if actor.user is None or not may_approve_override(actor.user, assessment, locked.requested_by_id):
        raise PermissionDenied(_("A change of level must be approved by a second person with the right to approve."))
    if locked.status != OverrideStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the request is rejected.")})
    locked.status = OverrideStatus.APPROVED if approve else OverrideStatus.REJECTED
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()[:300]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        row = next(
            (
                c
                for c in assessment.definition.levels_for(assessment.definition.level_target)
                if c.level == locked.to_level
            ),
            None,
        )
        assessment.level = locked.to_level
        assessment.level_label = locked.to_label
        assessment.recommended_supervision_level = row.supervision_level if row else ""
        assessment.save(update_fields=["level", "level_label", "recommended_supervision_level", "updated_at"])
    record_event(
        actor,
        action=Action.APPROVE if approve else Action.REJECT,
        target=locked,
        detail={"assessment": assessment.pk, "to": locked.to_level, "note": locked.decision_note},
    )
    notify(
        [locked.requested_by],
        title=(_("Change of level approved: %(name)s") if approve else _("Change of level rejected: %(name)s"))
        % {"name": assessment.supervisee.name},
        body=locked.decision_note,
        url=reverse("assessment:detail", args=[assessment.pk]),
        kind="assessment_override",
    )
    return locked
