"""Assessment pages: list, start, fill in (drafts, live skip logic), results, overrides, alerts, reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_rule
from zhengtu.core.downloads import stored_file_response
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import add_service_errors, run_form_action
from zhengtu.core.query import id_param
from zhengtu.supervisees.models import SupervisionLevel
from zhengtu.supervisees.selectors import get_supervisee_for_user, supervisees_visible_to

from ..charts import Series, domain_bars, score_history
from ..forms import AlertForm, CancelForm, OverrideDecisionForm, OverrideRequestForm, StartAssessmentForm
from ..models import Assessment, AssessmentMode, AssessmentStatus, OverrideStatus
from ..permissions import can_assess, can_view_results, may_approve_override
from ..questionnaire import evaluate_answers
from ..report_jobs import start_report_job
from ..selectors import (
    assessments_visible_to,
    get_assessment_for_user,
    get_override_for_user,
    history_of,
    reassessment_for,
    usable_instruments,
)
from ..services.assessments import (
    AnswersIncomplete,
    acknowledge_alert,
    cancel_assessment,
    save_draft,
    start_assessment,
    submit_assessment,
)
from ..services.overrides import decide_override, override_choices, request_override
from .common import audit_read, posted_answers, question_rows

PAGE_SIZE = 50


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, can_view_results)
    rows = assessments_visible_to(request.user).select_related("supervisee", "instrument_version", "assessor", "report")
    status = request.GET.get("status", "")
    if status in AssessmentStatus.values:
        rows = rows.filter(status=status)
    else:
        rows = rows.exclude(status=AssessmentStatus.CANCELLED)
    if (instrument := id_param(request.GET, "instrument")) is not None:
        rows = rows.filter(instrument_version__instrument_id=instrument)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(supervisee__name__contains=query) | rows.filter(
            supervisee__name_initials__startswith=query.lower()
        )
    if request.GET.get("report") == "due":
        rows = rows.filter(report__isnull=True, due_on__isnull=False)
    page = Paginator(rows.order_by("-received_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [a.pk for a in page.object_list if a.is_scored]
    if shown:
        record_event(request, action=Action.VIEW, object_type="assessment.assessment", detail={"list": shown})
    today = timezone.localdate()
    due = (
        assessments_visible_to(request.user)
        .filter(report__isnull=True, due_on__isnull=False)
        .exclude(status=AssessmentStatus.CANCELLED)
    )
    return render(
        request,
        "assessment/index.html",
        {
            "page": page,
            "instruments": usable_instruments(request.user),
            "statuses": AssessmentStatus.choices,
            "figures": {
                "drafts": assessments_visible_to(request.user).filter(status=AssessmentStatus.DRAFT).count(),
                "due_today": due.filter(due_on=today).count(),
                "overdue": due.filter(due_on__lt=today).count(),
                "critical": assessments_visible_to(request.user)
                .filter(critical_alerts__acknowledged_at__isnull=True)
                .distinct()
                .count(),
            },
            "can_assess": can_assess(request.user),
        },
    )


@login_required
def start(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, can_assess)
    initial = {}
    chosen = None
    if (supervisee := id_param(request.GET, "supervisee")) is not None:
        chosen = get_supervisee_for_user(request.user, supervisee)
        initial["supervisee"] = chosen
    form = StartAssessmentForm(
        request.POST or None,
        initial=initial,
        supervisees=supervisees_visible_to(request.user),
        instruments=usable_instruments(request.user),
        search=request.GET.get("q", ""),
        chosen=chosen,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = start_assessment(
                actor=Actor.from_request(request),
                supervisee=data["supervisee"],
                instrument=data["instrument"],
                mode=data["mode"],
                received_on=data["received_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if assessment.mode == AssessmentMode.SELF_REPORT:
                messages.success(request, _("The questionnaire is waiting for the supervisee to fill it in."))
                return redirect("assessment:detail", pk=assessment.pk)
            return redirect("assessment:fill", pk=assessment.pk)
    return render(request, "assessment/start.html", {"form": form, "q": request.GET.get("q", "")})


@login_required
def fill(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, can_assess)
    assessment = get_assessment_for_user(request.user, pk)
    if not assessment.is_draft:
        return redirect("assessment:detail", pk=assessment.pk)
    return _questionnaire(request, assessment, done_url=reverse("assessment:detail", args=[assessment.pk]))


def _questionnaire(request: AuthenticatedRequest, assessment: Assessment, *, done_url: str) -> HttpResponse:
    """Shared by staff interviews and the supervisee's own page: preview (HTMX), save draft, submit."""
    definition = assessment.definition
    evaluation = None
    if request.method == "POST":
        answers = posted_answers(request, definition)
        action = request.POST.get("action", "save")
        actor = Actor.from_request(request)
        if request.htmx or action == "preview":  # type: ignore[attr-defined]
            evaluation = evaluate_answers(definition, answers, final=False)
            evaluation.errors.clear()  # skip logic only while typing; errors come on save/submit
        elif action == "submit":
            try:
                submit_assessment(actor=actor, assessment=assessment, answers=answers)
            except AnswersIncomplete as error:
                save_draft(actor=actor, assessment=assessment, answers=answers)
                evaluation = error.evaluation
                messages.error(request, error.messages[0])
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
                return redirect(done_url)
            else:
                messages.success(request, _("The questionnaire has been scored."))
                return redirect(done_url)
        else:
            evaluation = save_draft(actor=actor, assessment=assessment, answers=answers)
            messages.success(request, _("Draft saved."))
    else:
        evaluation = evaluate_answers(definition, assessment.answers, final=False)
        evaluation.errors.clear()
    return render(
        request,
        "assessment/fill.html",
        {
            "assessment": assessment,
            "definition": definition,
            "version": assessment.instrument_version,
            "rows": question_rows(definition, evaluation, assessment.answers),
            "self_service": assessment.mode == AssessmentMode.SELF_REPORT and not request.user.is_staff_member,
        },
    )


def _supervision_label(value: str) -> str:
    return str(SupervisionLevel(value).label) if value in SupervisionLevel.values else ""


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, can_view_results)
    assessment = get_assessment_for_user(request.user, pk)
    audit_read(request, assessment, page="detail")
    result = assessment.score_result
    overrides = list(assessment.overrides.select_related("requested_by", "decided_by"))
    pending = next((o for o in overrides if o.status == OverrideStatus.PENDING), None)
    report = getattr(assessment, "report", None)
    levels = override_choices(assessment) if assessment.is_scored else []
    return render(
        request,
        "assessment/detail.html",
        {
            "assessment": assessment,
            "version": assessment.instrument_version,
            "result": result,
            "chart": domain_bars(result.domains) if result and len(result.domains) > 1 else "",
            "answers": assessment.answer_rows(),
            "overrides": overrides,
            "pending_override": pending,
            "may_decide": pending is not None
            and may_approve_override(request.user, assessment, pending.requested_by_id),
            "override_form": OverrideRequestForm(levels=[lvl for lvl in levels if lvl[0] != assessment.level])
            if levels and can_assess(request.user) and pending is None and report is None
            else None,
            "alerts": assessment.critical_alerts.select_related("acknowledged_by"),
            "alert_form": AlertForm(),
            "report": report,
            "can_assess": can_assess(request.user),
            "today": timezone.localdate(),
            "recommended_label": _supervision_label(assessment.recommended_supervision_level),
        },
    )


@login_required
@require_POST
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, can_assess)
    assessment = get_assessment_for_user(request.user, pk)
    form = CancelForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: cancel_assessment(actor=Actor.from_request(request), assessment=assessment, reason=data["reason"]),
        invalid=_("Give the reason for cancelling."),
        done=_("The assessment was cancelled."),
    )
    return redirect("assessment:detail", pk=assessment.pk)


@login_required
@require_POST
def override_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, can_assess)
    assessment = get_assessment_for_user(request.user, pk)
    form = OverrideRequestForm(request.POST, levels=override_choices(assessment))
    if form.is_valid():
        try:
            request_override(
                actor=Actor.from_request(request),
                assessment=assessment,
                to_level=form.cleaned_data["to_level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("The change of level now waits for a second person's approval."))
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("assessment:detail", pk=assessment.pk)


@login_required
@require_POST
def override_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, can_view_results)
    override = get_override_for_user(request.user, pk)
    form = OverrideDecisionForm(request.POST)
    if form.is_valid():
        try:
            decide_override(
                actor=Actor.from_request(request),
                override=override,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("assessment:detail", pk=override.assessment_id)


@login_required
@require_POST
def alert_acknowledge(request: AuthenticatedRequest, pk: int, alert_pk: int) -> HttpResponse:
    require_rule(request.user, can_view_results)
    assessment = get_assessment_for_user(request.user, pk)
    alert = get_or_404(assessment.critical_alerts, alert_pk)
    form = AlertForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: acknowledge_alert(actor=Actor.from_request(request), alert=alert, action_note=data["action_note"]),
        invalid=_("Say what was done about this answer."),
        done=_("Recorded what was done."),
    )
    return redirect("assessment:detail", pk=assessment.pk)


@login_required
@require_POST
def report_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Rendering takes seconds: the report is issued by a background job the person follows on its page."""
    require_rule(request.user, can_assess)
    assessment = get_assessment_for_user(request.user, pk)
    job = start_report_job(user=request.user, assessment=assessment)
    return redirect(job)


@login_required
def report_download(request: AuthenticatedRequest, pk: int, fmt: str) -> FileResponse:
    require_rule(request.user, can_view_results)
    assessment = get_assessment_for_user(request.user, pk)
    report = getattr(assessment, "report", None)
    if report is None or fmt not in ("docx", "pdf"):
        raise Http404
    stored = report.docx if fmt == "docx" else report.pdf
    if not stored:
        raise Http404
    record_event(request, action=Action.EXPORT, target=report, detail={"format": fmt, "assessment": assessment.pk})
    return stored_file_response(stored, f"{report.number}-{assessment.supervisee.name}.{fmt}")


@login_required
def person(request: AuthenticatedRequest, supervisee_pk: int) -> HttpResponse:
    """One supervisee's assessments over time: score history chart, reassessment schedule."""
    require_rule(request.user, can_view_results)
    supervisee = get_supervisee_for_user(request.user, supervisee_pk)
    history = list(history_of(request.user, supervisee))
    record_event(
        request,
        action=Action.VIEW,
        target=supervisee,
        detail={"page": "assessment_history", "assessments": [a.pk for a in history]},
    )
    by_instrument: dict[str, Series] = {}
    for assessment in history:
        if assessment.is_scored and assessment.total_score is not None:
            title = assessment.instrument_version.instrument.title
            by_instrument.setdefault(title, Series(label=title, points=[]))
            by_instrument[title].points.append((assessment.received_on, assessment.total_score))
    return render(
        request,
        "assessment/person.html",
        {
            "supervisee": supervisee,
            "history": list(reversed(history)),
            # One chart per instrument: their scales differ (PHQ-9 0–27, SCL-90 90–450).
            "charts": [(series.label, score_history([series])) for series in by_instrument.values()],
            "reassessment": reassessment_for(supervisee),
            "can_assess": can_assess(request.user),
        },
    )
