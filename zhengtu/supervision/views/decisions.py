"""The other organ's decision on a request sent to it (提请减刑, 提请逮捕, 撤销暂予监外执行 …), recorded by the office."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.pages import save_form

from .. import selectors
from ..forms import MultipleFileField, date_field
from ..models import DecisionOutcome
from ..services import sanctions as sanction_services
from .common import actor_of, capability_required


class OrganDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    decided_on = date_field(gettext_lazy("Decided on"), initial_today=True)
    decision_number = forms.CharField(label=gettext_lazy("Document number of the decision"), max_length=100)
    attachments = MultipleFileField(label=gettext_lazy("Scan of the decision"))


@login_required
@capability_required(Capability.SUPERVISE)
def sanction_decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sanction = selectors.get_sanction_for_user(request.user, pk)
    supervisee = sanction.supervisee
    form = OrganDecisionForm(request.POST or None, request.FILES or None)
    if save_form(
        request,
        form,
        lambda data: sanction_services.record_request_decision(actor=actor_of(request), sanction=sanction, **data),
    ):
        messages.success(request, _("Decision recorded."))
        return redirect("supervision:file", pk=supervisee.pk)
    if request.method == "GET":
        record_event(request, action=Action.VIEW, target=sanction, detail={"page": "organ_decision"})
    intro = _("%(kind)s, sent to %(organ)s on %(date)s.") % {
        "kind": sanction.get_kind_display(),
        "organ": sanction.receiving_organ or "—",
        "date": sanction.sent_on.isoformat() if sanction.sent_on else "—",
    }
    if sanction.decision_outcome:
        intro += " " + _("Decision already recorded: %(outcome)s, %(number)s.") % {
            "outcome": sanction.get_decision_outcome_display(),
            "number": sanction.decision_number,
        }
    return render(
        request,
        "supervision/form.html",
        {
            "supervisee": supervisee,
            "form": form,
            "title": _("Decision of the receiving organ"),
            "intro": intro,
            "multipart": True,
        },
    )
