"""Case pages: the list and search, referral, the file (一人一档) and its process, documents, sealing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can, is_prosecutor
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_capability
from zhengtu.core.downloads import stored_file_response
from zhengtu.core.pages import run_form_action
from zhengtu.supervisees.selectors import supervisees_visible_to

from ..documents import SERVICE_DOCUMENTS
from ..forms import (
    CaseSearchForm,
    ConsentForm,
    DocumentForm,
    GuardianForm,
    LinkSuperviseeForm,
    ReferralForm,
    SealForm,
    StepForm,
)
from ..models import Stage
from ..selectors import (
    approved_sealed_read,
    county_of,
    get_case_for_user,
    get_document_for_user,
    is_member,
    reports_due,
    roster_visible_to,
    search_cases,
)
from ..services import cases as case_services
from ..services.sealing import seal_case
from .common import form_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_JUVENILE_CASES)
    form = CaseSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    cases = search_cases(
        request.user, data.get("q", ""), service_type=data.get("service_type", ""), stage=data.get("stage", "")
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    may_register = can(request.user, Capability.REFER_JUVENILES) or can(request.user, Capability.HANDLE_JUVENILE_CASES)
    return render(request, "juvenile/case_list.html", {"form": form, "page": page, "may_register": may_register})


@login_required
def refer(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (can(user, Capability.REFER_JUVENILES) or can(user, Capability.HANDLE_JUVENILE_CASES)):
        require_capability(user, Capability.REFER_JUVENILES)
    prosecutor = is_prosecutor(user)
    county = user.organisation.parent if prosecutor and user.organisation else county_of(user)
    form = ReferralForm(request.POST or None, county=county, prosecutor=prosecutor)

    def save(data: dict[str, object]) -> object:
        fields = {k: v for k, v in data.items() if v not in (None, "") and k != "agency"}
        return case_services.refer_case(actor=Actor.from_request(request), agency=data.get("agency"), **fields)  # type: ignore[arg-type]

    return form_page(
        request,
        form,
        title=_("Refer a juvenile case") if prosecutor else _("Register a juvenile case"),
        save=save,
        next_url=lambda case: reverse("juvenile:case", args=[case.pk]),
        done=_("The case has been registered."),
        back=reverse("juvenile:cases"),
    )


@login_required
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    member = is_member(request.user, case)
    approved = approved_sealed_read(request.user, case) if case.is_sealed and not member else None
    # A juvenile file is sensitive: every read is logged, and a read of a sealed file says on what basis.
    detail: dict[str, object] = {"sealed": case.is_sealed}
    if approved is not None:
        detail.update({"sealed_read_request": approved.pk, "legal_basis": approved.legal_basis})
    record_event(request, action=Action.VIEW, target=case, detail=detail)
    handler = case_services.may_handle(request.user, case)
    prosecutor_of_case = is_prosecutor(request.user) and case.referring_organisation_id == request.user.organisation_id
    documents = [(f"juvenile.{suffix}", str(title)) for suffix, title in SERVICE_DOCUMENTS]
    return render(
        request,
        "juvenile/case_detail.html",
        {
            "case": case,
            "member": member,
            "approved_read": approved,
            "handler": handler,
            "prosecutor_of_case": prosecutor_of_case,
            "may_seal": not case.is_sealed and (can(request.user, Capability.APPROVE_JUVENILE) or (handler and member)),
            "records": case.records.select_related("recorded_by"),
            "guardians": case.guardians.all(),
            "investigations": case.investigations.all(),
            "adult_requests": case.adult_requests.select_related("adult"),
            "non_prosecution": getattr(case, "non_prosecution", None),
            "report_due": reports_due(case),
            "documents": case.documents.all(),
            "document_form": DocumentForm(choices=documents),
            "step_form": StepForm(),
            "seal_form": SealForm(),
            "next_stage": _next_stage_label(case.stage),
            "roster": roster_visible_to(request.user).filter(county=case.county, is_active=True),
        },
    )


def _next_stage_label(stage: str) -> str:
    order = list(Stage)
    index = [s.value for s in order].index(stage)
    return str(order[index + 1].label) if index + 1 < len(order) else ""


@login_required
@require_POST
def case_step(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    actor = Actor.from_request(request)
    form = StepForm(request.POST)
    action = request.POST.get("action")
    if action == "accept":
        run_form_action(
            request,
            form,
            lambda d: case_services.accept_case(actor=actor, case=case, content=d["content"]),
            invalid=_("Describe what was done."),
            done=_("The case has been accepted."),
        )
    elif action == "advance":
        run_form_action(
            request,
            form,
            lambda d: case_services.advance_stage(actor=actor, case=case, content=d["content"]),
            invalid=_("Describe what was done."),
            done=_("The case moved to the next step."),
        )
    else:
        run_form_action(
            request,
            form,
            lambda d: case_services.record_step(actor=actor, case=case, content=d["content"]),
            invalid=_("Describe what was done."),
            done=_("Recorded."),
        )
    return redirect("juvenile:case", pk=case.pk)


@login_required
def case_consent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    form = ConsentForm(
        request.POST or None, initial={"child_consent": case.child_consent, "guardian_consent": case.guardian_consent}
    )
    return form_page(
        request,
        form,
        title=_("Consent"),
        save=lambda d: case_services.record_consent(actor=Actor.from_request(request), case=case, **d),
        next_url=lambda c: reverse("juvenile:case", args=[c.pk]),
        back=reverse("juvenile:case", args=[case.pk]),
    )


@login_required
def case_guardian(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    case_services.require_handler(request.user, case)
    return form_page(
        request,
        GuardianForm(request.POST or None),
        title=_("Add a guardian"),
        save=lambda d: case_services.add_guardian(actor=Actor.from_request(request), case=case, **d),
        next_url=lambda g: reverse("juvenile:case", args=[case.pk]),
        back=reverse("juvenile:case", args=[case.pk]),
    )


@login_required
def case_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Link the child's later supervisee record; only people who already see that record can choose it."""
    case = get_case_for_user(request.user, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    case_services.require_handler(request.user, case)
    form = LinkSuperviseeForm(request.POST or None, supervisees=supervisees_visible_to(request.user).order_by("name"))
    return form_page(
        request,
        form,
        title=_("Link the supervisee record"),
        save=lambda d: case_services.link_supervisee(
            actor=Actor.from_request(request), case=case, supervisee=d["supervisee"]
        ),
        next_url=lambda c: reverse("juvenile:case", args=[c.pk]),
        back=reverse("juvenile:case", args=[case.pk]),
    )


@login_required
@require_POST
def case_document(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    choices = [(f"juvenile.{suffix}", str(title)) for suffix, title in SERVICE_DOCUMENTS]
    form = DocumentForm(request.POST, choices=choices)
    run_form_action(
        request,
        form,
        lambda d: case_services.issue_case_document(actor=Actor.from_request(request), case=case, code=d["code"]),
        invalid=_("Choose a document."),
        done=_("The document has been generated."),
    )
    return redirect("juvenile:case", pk=case.pk)


@login_required
def document_pdf(request: AuthenticatedRequest, pk: int) -> FileResponse:
    document = get_document_for_user(request.user, pk)
    record_event(request, action=Action.EXPORT, target=document.case, detail={"document": document.code})
    return stored_file_response(document.pdf, f"{document.title}.pdf", "application/pdf", inline=True)


@login_required
def document_docx(request: AuthenticatedRequest, pk: int) -> FileResponse:
    document = get_document_for_user(request.user, pk)
    if not document.docx:
        raise Http404
    record_event(request, action=Action.EXPORT, target=document.case, detail={"document": document.code, "word": True})
    return stored_file_response(document.docx, f"{document.title}.docx", DOCX, inline=True)


@login_required
@require_POST
def case_seal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    run_form_action(
        request,
        SealForm(request.POST),
        lambda d: seal_case(actor=Actor.from_request(request), case=case, basis=d["basis"]),
        invalid=_("Give the decision or legal basis for sealing."),
        done=_("The case is sealed: only the people on it can see it."),
    )
    return redirect("juvenile:case", pk=case.pk)
