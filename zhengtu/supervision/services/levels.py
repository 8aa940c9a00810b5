"""The supervision level (严管/普管/宽管) and its history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.supervisees.models import Supervisee, SupervisionLevel

from ..models import LevelChange, LevelChangeSource


@transaction.atomic
def change_supervision_level(
    *, actor: Actor, supervisee: Supervisee, to_level: str, source: str, reason: str = ""
) -> LevelChange:
    """Set the level and keep its history. Callers check who may do it (intake, review, sanction effect)."""
    if to_level not in SupervisionLevel.values:
        raise ValidationError({"to_level": _("Choose a supervision level.")})
    from_level = supervisee.supervision_level
    change = LevelChange.objects.create(
        supervisee=supervisee,
        from_level=from_level,
        to_level=to_level,
        source=source,
        reason=reason[:300],
        changed_by=actor.user,
    )
    if from_level != to_level:
        supervisee.supervision_level = to_level
        supervisee.save(update_fields=["supervision_level", "updated_at"])
    record_event(
        actor,
        action=Action.UPDATE,
        target=supervisee,
        detail={"supervision_level": {"from": from_level, "to": to_level}, "source": source},
    )
    return change


@transaction.atomic
def review_supervision_level(*, actor: Actor, supervisee: Supervisee, to_level: str, reason: str) -> LevelChange:
    """A periodic review moves the level (from the supervision file page or the API)."""
    from zhengtu.accounts.roles import Capability
    from zhengtu.core.access import acting_user

    from .access import NOT_ALLOWED, require_under_supervision

    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the new level.")})
    change = change_supervision_level(
        actor=actor, supervisee=supervisee, to_level=to_level, source=LevelChangeSource.REVIEW, reason=reason.strip()
    )
    from .due import refresh_due_items

    refresh_due_items(supervisee_ids=[supervisee.pk])
    return change
