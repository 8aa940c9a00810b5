"""The supervisee's own pages: questionnaires to fill in, and their screening results in a limited view."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.core.access import require_rule

from ..models import AssessmentMode, AssessmentStatus
from ..permissions import is_supervisee
from ..selectors import get_own_assessment, own_assessments, own_results
from .assessments import _questionnaire
from .common import audit_read


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, is_supervisee)
    to_fill = (
        own_assessments(request.user)
        .filter(status=AssessmentStatus.DRAFT, mode=AssessmentMode.SELF_REPORT)
        .select_related("instrument_version")
    )
    return render(request, "assessment/mine.html", {"to_fill": to_fill, "results": own_results(request.user)})


@login_required
def mine_fill(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, is_supervisee)
    assessment = get_own_assessment(request.user, pk)
    if assessment.mode != AssessmentMode.SELF_REPORT or not assessment.is_draft:
        return redirect("assessment:mine")
    return _questionnaire(request, assessment, done_url=reverse("assessment:mine"))


@login_required
def mine_result(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Only the level and the note written for the person: no item answers, no scores of others."""
    require_rule(request.user, is_supervisee)
    assessment = get_own_assessment(request.user, pk)
    if not (assessment.is_scored and assessment.instrument_version.show_to_supervisee):
        return redirect("assessment:mine")
    audit_read(request, assessment, page="own_result")
    result = assessment.score_result
    note = result.level.supervisee_note if result and result.level else ""
    return render(request, "assessment/mine_result.html", {"assessment": assessment, "note": note})
