"""Which approval kinds a person may ask for on the phone, with each kind's own form and filing service.

The approval engine's registry of kinds (`zhengtu.supervision.approval_kinds`, with `file_request`) is the generic
entry point: every kind registered there appears here, except those only staff start (settings
ZHENGTU_RULES["app_request_excluded_kinds"]). Until that registry is merged, leave and transfer come from the
engine's own forms and services; this module is the only place that knows the difference.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Supervisee

from .rules import rule


@dataclass(frozen=True)
class RequestKind:
    kind: str
    label: str
    form: Callable[..., forms.Form]
    file: Callable[..., Model]  # file(actor=, supervisee=, data=) → the subject


def _engine_kinds() -> list[RequestKind]:
    try:
        approval_kinds: Any = importlib.import_module("zhengtu.supervision.approval_kinds")
    except ImportError:
        return _fallback_kinds()
    kinds = []
    for spec in approval_kinds.registry().values():
        if not spec.generic_page:
            continue

        def file(*, actor: Actor, supervisee: Supervisee, data: dict[str, Any], kind: str = spec.kind) -> Model:
            subject: Model = approval_kinds.file_request(actor=actor, supervisee=supervisee, kind=kind, data=data)
            return subject

        kinds.append(RequestKind(kind=spec.kind, label=str(spec.label), form=spec.form, file=file))
    return kinds


def _fallback_kinds() -> list[RequestKind]:
    from zhengtu.supervision.forms import LeaveForm, TransferForm
    from zhengtu.supervision.models import ApprovalKind
    from zhengtu.supervision.services import leave, transfer

    def through(form_class: Callable[..., forms.Form], service: Callable[..., Model]) -> Callable[..., Model]:
        def file(*, actor: Actor, supervisee: Supervisee, data: dict[str, Any]) -> Model:
            form = form_class(data=data)
            if not form.is_valid():
                raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
            return service(actor=actor, supervisee=supervisee, **form.cleaned_data)

        return file

    return [
        RequestKind(
            ApprovalKind.LEAVE, str(ApprovalKind.LEAVE.label), LeaveForm, through(LeaveForm, leave.request_leave)
        ),
        RequestKind(
            ApprovalKind.TRANSFER,
            str(ApprovalKind.TRANSFER.label),
            TransferForm,
            through(TransferForm, transfer.request_transfer),
        ),
    ]


def request_kinds() -> dict[str, RequestKind]:
    excluded = rule("app_request_excluded_kinds")
    assert isinstance(excluded, list | tuple)
    return {item.kind: item for item in _engine_kinds() if item.kind not in excluded}


def get_kind(kind: str) -> RequestKind:
    try:
        return request_kinds()[kind]
    except KeyError:
        raise ValidationError(_("This kind of request cannot be made in the app.")) from None


def plain(value: Any) -> Any:
    """A cleaned value as JSON (dates as ISO text, model choices by id), so the form reads it back the same."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value
