"""Supervisor credential filing pages: apply, correct, renew; review and the registry; documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.downloads import stored_file_response
from zhengtu.core.pages import run_form_action, save_form

from ..forms import FilingForm, FilingReviewForm, ReasonForm
from ..models import FilingStatus, SupervisorFiling
from ..selectors import (
    agency_of,
    associations_managed_by,
    associations_serving,
    filing_supervisor_choices,
    filings_managed_by,
    filings_visible_to,
    get_filing_document_for_user,
    get_filing_for_user,
    get_managed_filing,
    supervisor_filing_status,
)
from ..services import filings as services


@login_required
def filing_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    manages = can(user, Capability.MANAGE_ASSOCIATION)
    filings = filings_visible_to(user)
    view = request.GET.get("view", "")
    today = timezone.localdate()
    if view == "registry":
        filings = filings.filter(status=FilingStatus.APPROVED, valid_until__gte=today)
    elif view == "pending":
        filings = filings.filter(status=FilingStatus.SUBMITTED)
    query = request.GET.get("q", "").strip()
    if query:
        filings = filings.filter(
            Q(supervisor__full_name__icontains=query)
            | Q(filing_number__icontains=query)
            | Q(agency__name__icontains=query)
        )
    page = Paginator(filings.order_by("-submitted_at", "-pk"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "view": view, "q": query, "manages": manages, "today": today}
    return render(request, "association/filing_list.html", context)


def _form_for(request: AuthenticatedRequest, initial: dict[str, object] | None = None) -> FilingForm:
    user = request.user
    associations = (associations_serving(user) | associations_managed_by(user)).distinct().order_by("path")
    return FilingForm(
        request.POST or None,
        request.FILES or None,
        associations=associations,
        supervisors=filing_supervisor_choices(user),
        initial=initial,
    )


def _submit(
    request: AuthenticatedRequest, form: FilingForm, supervisor: User, *, renewal_of: SupervisorFiling | None = None
) -> SupervisorFiling:
    """A first filing (the association chosen on the form) or a renewal (the association of the filing renewed)."""
    return services.submit_filing(
        actor=Actor.from_request(request),
        association=renewal_of.association if renewal_of else form.cleaned_data["association"],
        supervisor=supervisor,
        agency=agency_of(supervisor) or (renewal_of.agency if renewal_of else None),
        documents=form.documents(),
        renewal_of=renewal_of,
        **form.filing_fields(),
    )


@login_required
def filing_apply(request: AuthenticatedRequest) -> HttpResponse:
    form = _form_for(request, initial={"supervisor": request.user.pk})
    if not form.fields["association"].queryset.exists():  # type: ignore[attr-defined]
        messages.error(request, pgettext("association", "No association serves your organisation."))
        return redirect("association:filing-list")
    if saved := save_form(request, form, lambda data: _submit(request, form, data.get("supervisor") or request.user)):
        messages.success(request, pgettext("association", "The filing has been submitted for review."))
        return redirect("association:filing-detail", pk=saved.result.pk)
    return render(request, "association/filing_form.html", {"form": form, "renewal_of": None, "filing": None})


@login_required
def filing_renew(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    previous = get_filing_for_user(request.user, pk)
    if previous.status != FilingStatus.APPROVED:
        messages.error(request, pgettext("association", "Only a filed credential can be renewed."))
        return redirect("association:filing-detail", pk=previous.pk)
    initial = {
        name: getattr(previous, name)
        for name in (
            "qualification_level",
            "certificate_number",
            "education",
            "years_in_social_work",
            "years_supervising",
            "qualifications_note",
        )
    }
    initial.update(association=previous.association_id, supervisor=previous.supervisor_id)
    form = _form_for(request, initial=initial)
    if saved := save_form(
        request, form, lambda _data: _submit(request, form, previous.supervisor, renewal_of=previous)
    ):
        messages.success(request, pgettext("association", "The renewal has been submitted for review."))
        return redirect("association:filing-detail", pk=saved.result.pk)
    for name in ("association", "supervisor"):
        form.fields.pop(name, None)
    return render(request, "association/filing_form.html", {"form": form, "renewal_of": previous, "filing": None})


@login_required
def filing_resubmit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    if filing.status != FilingStatus.RETURNED:
        messages.error(request, pgettext("association", "Only a filing returned for changes can be corrected."))
        return redirect("association:filing-detail", pk=filing.pk)
    initial = {name: getattr(filing, name) for name in services.EDITABLE_FIELDS if name != "agency"}
    form = _form_for(request, initial=initial)
    for name in ("association", "supervisor"):
        form.fields.pop(name, None)
    if save_form(
        request,
        form,
        lambda _data: services.resubmit_filing(
            actor=Actor.from_request(request), filing=filing, documents=form.documents(), **form.filing_fields()
        ),
    ):
        messages.success(request, pgettext("association", "The corrected filing has been sent back for review."))
        return redirect("association:filing-detail", pk=filing.pk)
    return render(request, "association/filing_form.html", {"form": form, "renewal_of": None, "filing": filing})


@login_required
def filing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    manages = filings_managed_by(request.user).filter(pk=filing.pk).exists()
    record_event(request, action=Action.VIEW, target=filing)
    context = {
        "filing": filing,
        "manages": manages,
        "documents": filing.documents.all(),
        "problems": services.requirement_problems(filing)
        if manages and filing.status == FilingStatus.SUBMITTED
        else [],
        "review_form": FilingReviewForm(),
        "revoke_form": ReasonForm(),
        "status": supervisor_filing_status(filing.supervisor, timezone.localdate()),
        "history": SupervisorFiling.objects.filter(supervisor=filing.supervisor, association=filing.association)
        .exclude(pk=filing.pk)
        .order_by("-submitted_at"),
    }
    return render(request, "association/filing_detail.html", context)


@login_required
@require_POST
def filing_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    filing = get_managed_filing(request.user, pk)
    form = FilingReviewForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: services.review_filing(actor=Actor.from_request(request), filing=filing, **data),
        invalid=pgettext("association", "Choose approve, return or reject."),
        done=pgettext("association", "The review has been recorded."),
    )
    return redirect("association:filing-detail", pk=filing.pk)


@login_required
@require_POST
def filing_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    filing = get_managed_filing(request.user, pk)
    form = ReasonForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: services.revoke_filing(actor=Actor.from_request(request), filing=filing, note=data["note"]),
        invalid=pgettext("association", "Give the reason."),
        done=pgettext("association", "The filing has been revoked."),
    )
    return redirect("association:filing-detail", pk=filing.pk)


@login_required
def filing_document(request: AuthenticatedRequest, pk: int) -> FileResponse:
    document = get_filing_document_for_user(request.user, pk)
    record_event(request, action=Action.EXPORT, target=document.filing, detail={"document": document.pk})
    return stored_file_response(document.file, document.original_name)
