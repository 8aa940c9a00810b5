"""Staff pages about people: one person's learning, flagged face checks with photos, the monthly report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_rule
from zhengtu.core.downloads import XLSX, download_response
from zhengtu.core.pages import run_action
from zhengtu.services.hours import hours_history, next_month, parse_month, people_under_supervision, previous_month
from zhengtu.supervisees.selectors import get_supervisee_for_user

from ..exports import report_workbook
from ..models import FaceCheckOutcome, LessonProgress
from ..reports import office_figures, person_figures
from ..selectors import assignments_of, attempts_visible_to, face_checks_visible_to, get_face_check_for_user
from ..services import face_checks, study
from .common import is_learning_staff


@login_required
def person(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    supervisee = get_supervisee_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "learning"})
    study.fold_pending(supervisee=supervisee)  # a page closed between two folds: every second shows
    today = timezone.localdate()
    return render(
        request,
        "learning/person.html",
        {
            "supervisee": supervisee,
            "today": today,
            "assignments": assignments_of(supervisee),
            "progress": LessonProgress.objects.filter(supervisee=supervisee).select_related("lesson__course"),
            "attempts": attempts_visible_to(request.user).filter(supervisee=supervisee).select_related("exam"),
            "face_checks": face_checks_visible_to(request.user).filter(supervisee=supervisee)[:50],
            "history": hours_history(supervisee, until=today, months=6),
        },
    )


@login_required
def face_check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    check = get_face_check_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=check)
    return render(
        request, "learning/face_check.html", {"check": check, "flagged": check.outcome != FaceCheckOutcome.PASSED}
    )


@login_required
@require_POST
def face_check_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    check = get_face_check_for_user(request.user, pk)
    run_action(
        request,
        lambda: face_checks.mark_reviewed(actor=Actor.from_request(request), check=check),
        done=_("Marked as seen."),
    )
    return redirect("learning:face_check", check.pk)


@login_required
def flagged(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    checks = face_checks_visible_to(request.user).exclude(outcome=FaceCheckOutcome.PASSED)
    return render(request, "learning/flagged.html", {"checks": checks.filter(reviewed_at__isnull=True)[:200]})


def _report_data(request: AuthenticatedRequest):  # type: ignore[no-untyped-def]
    month = parse_month(request.GET.get("month"), timezone.localdate())
    persons = person_figures(people_under_supervision(request.user), month)
    return month, office_figures(persons)


@login_required
def report(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    month, offices = _report_data(request)
    return render(
        request,
        "learning/report.html",
        {"month": month, "offices": offices, "previous": previous_month(month), "next": next_month(month)},
    )


@login_required
def report_export(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    month, offices = _report_data(request)
    record_event(
        request,
        action=Action.EXPORT,
        object_type="learning.report",
        object_label=f"{month:%Y-%m}",
        detail={"offices": len(offices), "people": sum(o.people for o in offices)},
    )
    return download_response(report_workbook(offices, f"{month:%Y-%m}"), f"learning-{month:%Y-%m}.xlsx", XLSX)
