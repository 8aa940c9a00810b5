"""Requests from the phone: the person fills in the kind's own form; the office enters it into the approval engine
(or returns it with a reason). Each step's decision is then visible to the person."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to
from zhengtu.workspace.services import notify

from ..models import AppRequest, AppRequestStatus
from ..request_kinds import get_kind, plain
from .common import require_active, require_self
from .notifications import notify_supervisee


def _summary(label: str, cleaned: dict[str, Any]) -> str:
    parts = [str(value) for value in cleaned.values() if value not in (None, "")]
    return f"{label}：{'，'.join(parts)}"[:300]


@transaction.atomic
def submit_app_request(*, actor: Actor, supervisee: Supervisee, kind: str, data: dict[str, Any]) -> AppRequest:
    require_self(actor, supervisee)
    require_active(supervisee)
    spec = get_kind(kind)
    form = spec.form(data=data)
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    cleaned = {name: plain(value) for name, value in form.cleaned_data.items()}
    item = AppRequest.objects.create(
        supervisee=supervisee,
        kind=kind,
        data=cleaned,
        summary=_summary(spec.label, {k: v for k, v in form.cleaned_data.items() if k != "reason"}),
    )
    notify(
        [supervisee.responsible_officer],
        title=_("Request from the app: %(name)s") % {"name": supervisee.name},
        body=item.summary,
        url=reverse("appstaff:request", args=[item.pk]),
        kind="app_request",
    )
    record_event(actor, action=Action.CREATE, target=item, detail={"supervisee": supervisee.pk, "kind": kind})
    return item


def _require_staff(actor: Actor, item: AppRequest) -> None:
    user = acting_user(actor, Capability.SUPERVISE, refusal=_("You are not allowed to do this."))
    if not supervisees_visible_to(user).filter(pk=item.supervisee_id).exists():
        raise PermissionDenied(_("You are not allowed to do this."))
    if item.status != AppRequestStatus.SUBMITTED:
        raise ValidationError(_("This request was already handled."))


@transaction.atomic
def file_app_request(*, actor: Actor, item: AppRequest) -> AppRequest:
    """The officer enters the request into the approval engine, through the kind's own service and limits."""
    _require_staff(actor, item)
    subject = get_kind(item.kind).file(actor=actor, supervisee=item.supervisee, data=item.data)
    item.approval = getattr(subject, "approval", None)
    item.status = AppRequestStatus.FILED
    item.handled_by = actor.user
    item.handled_at = timezone.now()
    item.save(update_fields=["approval", "status", "handled_by", "handled_at"])
    notify_supervisee(
        item.supervisee,
        title=_("Your request is in approval"),
        body=item.summary,
        url=reverse("selfservice:requests"),
        kind="app_request",
    )
    record_event(actor, action=Action.UPDATE, target=item, detail={"filed": True, "approval": item.approval_id})
    return item


@transaction.atomic
def return_app_request(*, actor: Actor, item: AppRequest, reason: str) -> AppRequest:
    _require_staff(actor, item)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is returned.")})
    item.status = AppRequestStatus.RETURNED
    item.note = reason[:300]
    item.handled_by = actor.user
    item.handled_at = timezone.now()
    item.save(update_fields=["status", "note", "handled_by", "handled_at"])
    notify_supervisee(
        item.supervisee,
        title=_("Your request was returned"),
        body=reason[:200],
        url=reverse("selfservice:requests"),
        kind="app_request",
    )
    record_event(actor, action=Action.REJECT, target=item, detail={"reason": reason[:300]})
    return item
