"""The search for a person out of contact (脱管找寻): open it, record steps, notify the police, close it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.pages import save_form

from .. import selectors
from ..models import Sanction, SearchOutcome, SearchRecord, SearchStepKind, SearchTrigger
from ..services import absconding
from .common import actor_of, capability_required

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OpenSearchForm(forms.Form):
    trigger = forms.ChoiceField(label=gettext_lazy("Why the person cannot be reached"), choices=SearchTrigger.choices)
    lost_contact_at = forms.DateTimeField(label=gettext_lazy("Out of contact since"), widget=DATETIME)
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What was done"), choices=SearchStepKind.choices)
    taken_at = forms.DateTimeField(label=gettext_lazy("When"), widget=DATETIME, initial=timezone.localtime)
    notes = forms.CharField(label=gettext_lazy("Result"), widget=forms.Textarea(attrs={"rows": 2}))


class PoliceForm(forms.Form):
    police_station = forms.CharField(label=gettext_lazy("Police station notified"), max_length=100)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=SearchOutcome.choices)
    notes = forms.CharField(label=gettext_lazy("How it ended"), widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.ModelChoiceField(
        label=gettext_lazy("Legal step"), queryset=Sanction.objects.none(), required=False
    )


@login_required
@capability_required(Capability.SUPERVISE)
def search(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    record: SearchRecord | None = SearchRecord.objects.filter(supervisee=supervisee, closed_at__isnull=True).first()
    actor = actor_of(request)
    action = request.POST.get("action", "")
    bound = request.POST if request.method == "POST" else None
    open_form = OpenSearchForm(bound if action == "open" else None)
    step_form = StepForm(bound if action == "step" else None)
    police_form = PoliceForm(bound if action == "police" else None)
    close_form = CloseForm(bound if action == "close" else None)
    close_form.fields["next_step"].queryset = supervisee.sanctions.all()  # type: ignore[attr-defined]
    done = None
    if record is None and save_form(
        request, open_form, lambda data: absconding.open_search(actor=actor, supervisee=supervisee, **data)
    ):
        done = _("Search opened; the bureau was notified.")
    elif record is not None:
        if save_form(request, step_form, lambda d: absconding.record_search_step(actor=actor, record=record, **d)):
            done = _("Search step recorded.")
        elif save_form(request, police_form, lambda d: absconding.notify_police(actor=actor, record=record, **d)):
            done = _("Police notice recorded.")
        elif save_form(request, close_form, lambda d: absconding.close_search(actor=actor, record=record, **d)):
            done = _("Search closed.")
    if done:
        messages.success(request, done)
        return redirect("supervision:search", pk=supervisee.pk)
    if request.method == "GET":
        record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "search"})
    return render(
        request,
        "supervision/search.html",
        {
            "supervisee": supervisee,
            "record": record,
            "alerts": absconding.search_alerts(record) if record else [],
            "steps": record.steps.select_related("taken_by") if record else [],
            "closed": SearchRecord.objects.filter(supervisee=supervisee, closed_at__isnull=False)[:20],
            "open_form": open_form,
            "step_form": step_form,
            "police_form": police_form,
            "close_form": close_form,
        },
    )
