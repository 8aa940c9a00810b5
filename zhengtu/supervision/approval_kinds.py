"""The registry of approval kinds: every request the approval engine decides, with its form, limits,
levels (from the rules), the service that files it, the effect once approved, and its document.

The generic entry points — ``file_request`` here, ``services.approvals.decide``/``withdraw``, the page
``supervision:request`` and the API ``supervision/supervisees/<pk>/requests/`` — take any registered kind,
so a new kind (or the supervisee app) needs no new plumbing: register it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Supervisee

from .documents import LEAVE_APPROVAL, MONITORING_APPROVAL, PERMIT_DOCUMENTS, SANCTION_DOCUMENTS, TRANSFER_APPROVAL
from .forms import LeaveForm, MonitoringForm, PermitForm, SanctionForm, TransferForm
from .models import ApprovalKind, ApprovalRequest, PermitKind


@dataclass(frozen=True)
class ApprovalKindSpec:
    kind: str
    label: Any
    # The subject's related name on ApprovalRequest (request.leave, request.permit, ...).
    subject_name: str
    form: Callable[..., forms.Form]
    file: Callable[..., Model]  # file(actor=, supervisee=, **cleaned_data) → the subject
    apply: Callable[..., None]  # apply(actor=, request=) once the last step approves
    limits: Callable[[], str]
    documents: tuple[str, ...] = field(default_factory=tuple)
    # False: filed on a page of its own (e.g. monitoring extensions, sanctions with evidence files).
    generic_page: bool = True

    def subject_of(self, request: ApprovalRequest) -> Model | None:
        return getattr(request, self.subject_name, None)


def _permit(kind: str) -> ApprovalKindSpec:
    from .services import permits

    def file(**arguments: Any) -> Model:
        return permits.request_permit(kind=kind, **arguments)

    return ApprovalKindSpec(
        kind=kind,
        label=PermitKind(kind).label,
        subject_name="permit",
        form=lambda *args, **kwargs: PermitForm(*args, kind=kind, **kwargs),
        file=file,
        apply=permits.apply_approved_permit,
        limits=lambda: permits.limit_text(kind),
        documents=(PERMIT_DOCUMENTS[kind],),
    )


@cache
def registry() -> dict[str, ApprovalKindSpec]:
    # Imported here: the topic services import the engine, which looks kinds up in this registry.
    from .rules import leave_rules, monitoring_rules
    from .services import leave, monitoring, sanctions, transfer

    specs = [
        ApprovalKindSpec(
            kind=ApprovalKind.LEAVE,
            label=ApprovalKind.LEAVE.label,
            subject_name="leave",
            form=LeaveForm,
            file=leave.request_leave,
            apply=leave.apply_approved_leave,
            limits=lambda: (
                _("Up to %(days)d days the justice office approves; longer goes up a level.")
                % {"days": leave_rules().office_max_days}
            ),
            documents=(LEAVE_APPROVAL,),
        ),
        ApprovalKindSpec(
            kind=ApprovalKind.TRANSFER,
            label=ApprovalKind.TRANSFER.label,
            subject_name="transfer",
            form=TransferForm,
            file=transfer.request_transfer,
            apply=transfer.apply_approved_transfer,
            limits=lambda: _("The county bureau approves; the receiving county bureau then accepts the person."),
            documents=(TRANSFER_APPROVAL,),
        ),
        ApprovalKindSpec(
            kind=ApprovalKind.MONITORING,
            label=ApprovalKind.MONITORING.label,
            subject_name="monitoring",
            form=MonitoringForm,
            file=monitoring.request_monitoring,
            apply=monitoring.apply_approved_monitoring,
            limits=lambda: _("At most %(months)d months a period.") % {"months": monitoring_rules().max_period_months},
            documents=(MONITORING_APPROVAL,),
        ),
        ApprovalKindSpec(
            kind=ApprovalKind.SANCTION,
            label=ApprovalKind.SANCTION.label,
            subject_name="sanction",
            form=SanctionForm,
            file=sanctions.propose_sanction,
            apply=sanctions.apply_approved_sanction,
            limits=lambda: _("Proposed by the justice office with the facts and evidence, decided by the bureau."),
            documents=tuple(SANCTION_DOCUMENTS.values()),
            generic_page=False,
        ),
        *(_permit(kind) for kind in PermitKind.values),
    ]
    return {spec.kind: spec for spec in specs}


def kind_spec(kind: str) -> ApprovalKindSpec:
    try:
        return registry()[kind]
    except KeyError:
        raise ValidationError({"kind": _("Unknown kind of request: %(kind)s.") % {"kind": kind}}) from None


def subject_of(request: ApprovalRequest) -> Model | None:
    spec = registry().get(request.kind)
    return spec.subject_of(request) if spec else None


def file_request(*, actor: Actor, supervisee: Supervisee, kind: str, data: dict[str, Any]) -> Model:
    """File a request of any registered kind from raw values (the API, the supervisee app, an import).

    The kind's form checks the shapes (its messages, in Chinese, keyed by field); the kind's service the
    rules. Nothing is written unless both pass.
    """
    spec = kind_spec(kind)
    form = spec.form(data=data)
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    return spec.file(actor=actor, supervisee=supervisee, **form.cleaned_data)
