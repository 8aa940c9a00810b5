"""Appraisals (考核) and reviews of the individual correction plan (个别化矫正) of one person."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.pages import run_action, save_form

from .. import selectors
from ..forms import date_field, text_area
from ..models import Appraisal, AppraisalPeriod
from ..services import appraisal as appraisal_services
from .common import actor_of, capability_required


class AppraisalForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=AppraisalPeriod.choices)
    period_start = date_field(gettext_lazy("First day of the period"))
    score = forms.IntegerField(
        label=gettext_lazy("Score"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": gettext_lazy("The score lies between 0 and 100."),
            "max_value": gettext_lazy("The score lies between 0 and 100."),
            "invalid": gettext_lazy("Enter the score as a whole number."),
        },
    )
    notes = text_area(gettext_lazy("Notes"), required=False, rows=3)


class PlanReviewForm(forms.Form):
    reviewed_on = date_field(gettext_lazy("Reviewed on"), initial_today=True)
    findings = text_area(gettext_lazy("What the team found"), rows=3)
    plan_changes = text_area(
        gettext_lazy("Changes to the plan"),
        required=False,
        rows=3,
        help_text=gettext_lazy("When filled in, these become the plan's measures."),
    )
    appraisal = forms.ModelChoiceField(
        label=gettext_lazy("Appraisal it follows"), queryset=Appraisal.objects.none(), required=False
    )


@login_required
@capability_required(Capability.SUPERVISE)
def appraisals(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    first_of_month = timezone.localdate().replace(day=1)
    form = AppraisalForm(
        request.POST or None, initial={"period": AppraisalPeriod.MONTH, "period_start": first_of_month}
    )
    if saved := save_form(
        request,
        form,
        lambda data: appraisal_services.record_appraisal(actor=actor_of(request), supervisee=supervisee, **data),
    ):
        appraisal = saved.result
        message = _("Appraisal recorded: %(grade)s.") % {"grade": appraisal.get_grade_display()}
        if appraisal.suggested_level:
            message += " " + _("The appraisals suggest the level %(level)s.") % {
                "level": appraisal.get_suggested_level_display()
            }
        messages.success(request, message)
        return redirect("supervision:appraisals", pk=supervisee.pk)
    if request.method == "GET":
        record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "appraisals"})
    return render(
        request,
        "supervision/appraisals.html",
        {"supervisee": supervisee, "form": form, "appraisals": selectors.appraisals_of(supervisee)[:60]},
    )


@login_required
@capability_required(Capability.SUPERVISE)
@require_POST
def appraisal_apply_level(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appraisal = selectors.get_appraisal_for_user(request.user, pk)
    run_action(
        request,
        lambda: appraisal_services.apply_level_suggestion(actor=actor_of(request), appraisal=appraisal),
        done=_("Supervision level changed."),
    )
    return redirect("supervision:appraisals", pk=appraisal.supervisee_id)


@login_required
@capability_required(Capability.SUPERVISE)
def plan_reviews(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    form = PlanReviewForm(request.POST or None)
    form.fields["appraisal"].queryset = selectors.appraisals_of(supervisee)  # type: ignore[attr-defined]
    if save_form(
        request,
        form,
        lambda data: appraisal_services.review_plan(actor=actor_of(request), supervisee=supervisee, **data),
    ):
        messages.success(request, _("Plan review recorded."))
        return redirect("supervision:plan_reviews", pk=supervisee.pk)
    if request.method == "GET":
        record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "plan_reviews"})
    return render(
        request,
        "supervision/plan_reviews.html",
        {
            "supervisee": supervisee,
            "form": form,
            "file": selectors.supervision_file_of(supervisee),
            "reviews": selectors.plan_reviews_of(supervisee)[:60],
        },
    )
