"""Funds received, budget lines, spending with vouchers, and budget adjustments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.downloads import stored_file_response
from zhengtu.core.pages import add_service_errors
from zhengtu.core.query import int_param

from .. import services
from ..forms import AdjustmentForm, BudgetLineForm, DecisionForm, FundReceiptForm, SpendingForm
from ..models import ServiceProject
from ..progress import budget_status, funds_received
from ..selectors import (
    can_manage_project,
    get_adjustment,
    get_budget_line,
    get_managed_project_for_user,
    get_project_for_user,
    get_voucher,
    spending_of,
)


@login_required
def budget(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    manager = can_manage_project(request.user, project)
    editing = None
    if request.GET.get("line"):
        editing = get_budget_line(project, request.GET["line"])
    line_form = BudgetLineForm(
        request.POST if "save_line" in request.POST else None,
        prefix="line",
        initial=(
            {"category": editing.category, "name": editing.name, "amount": editing.amount, "position": editing.position}
            if editing
            else None
        ),
    )
    receipt_form = FundReceiptForm(request.POST if "add_receipt" in request.POST else None, prefix="receipt")
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        actor = Actor.from_request(request)
        try:
            if "save_line" in request.POST and line_form.is_valid():
                data = line_form.cleaned_data
                services.save_budget_line(
                    actor=actor,
                    project=project,
                    category=data["category"],
                    name=data["name"],
                    amount=data["amount"],
                    position=data.get("position") or 0,
                    line=editing,
                )
                messages.success(request, _("The budget line was saved."))
                return redirect("projects:budget", project.pk)
            if "add_receipt" in request.POST and receipt_form.is_valid():
                services.record_fund_receipt(actor=actor, project=project, **receipt_form.cleaned_data)
                messages.success(request, _("The funds received were recorded."))
                return redirect("projects:budget", project.pk)
        except ValidationError as error:
            add_service_errors(line_form if "save_line" in request.POST else receipt_form, error)
    return render(
        request,
        "projects/budget.html",
        {
            "project": project,
            "lines": budget_status(project),
            "receipts": project.fund_receipts.all(),
            "received": funds_received(project),
            "line_form": line_form,
            "receipt_form": receipt_form,
            "editing": editing,
            "manager": manager,
        },
    )


@login_required
def spending(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    manager = can_manage_project(request.user, project)
    adding_vouchers = "add_vouchers" in request.POST
    form = SpendingForm(
        None if adding_vouchers else (request.POST or None),
        None if adding_vouchers else (request.FILES or None),
        project=project,
    )
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if adding_vouchers:
            return _add_vouchers(request, project)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_spending(
                    actor=Actor.from_request(request),
                    line=data["budget_line"],
                    spent_on=data["spent_on"],
                    amount=data["amount"],
                    description=data["description"],
                    voucher_number=data["voucher_number"],
                    vouchers=data["vouchers"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The spending was booked."))
                return redirect("projects:spending", project.pk)
    entries = spending_of(project)
    if (line := int_param(request.GET, "line")) is not None:
        entries = entries.filter(budget_line_id=line)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/spending.html",
        {"project": project, "form": form, "page": page, "manager": manager, "lines": budget_status(project)},
    )


def _add_vouchers(request: AuthenticatedRequest, project: ServiceProject) -> HttpResponse:
    """Vouchers that arrive after the spending was booked (the invoice comes later)."""
    number = int_param(request.POST, "entry")
    entry = spending_of(project).filter(pk=number).first() if number else None
    files = request.FILES.getlist("vouchers")
    if entry is None or not files:
        messages.error(request, _("Choose the files to attach."))
    else:
        try:
            services.add_vouchers(actor=Actor.from_request(request), entry=entry, vouchers=files)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The vouchers were attached."))
    return redirect("projects:spending", project.pk)


@login_required
def voucher(request: AuthenticatedRequest, pk: int, voucher_pk: int) -> FileResponse:
    project = get_project_for_user(request.user, pk)
    item = get_voucher(project, voucher_pk)
    record_event(request, action=Action.VIEW, target=item.entry, detail={"voucher": item.pk})
    return stored_file_response(item.file, item.original_name, inline=True)


@login_required
def adjustment_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_managed_project_for_user(request.user, pk)
    form = AdjustmentForm(request.POST or None, project=project, initial={"budget_line": request.GET.get("line")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_adjustment(
                actor=Actor.from_request(request),
                line=data["budget_line"],
                source_line=data["source_line"],
                amount=data["amount"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The adjustment was sent for approval by a second person."))
            return redirect("projects:detail", project.pk)
    return render(
        request,
        "projects/form_page.html",
        {"form": form, "title": _("Ask for a budget adjustment"), "project": project},
    )


@login_required
@require_POST
def adjustment_decide(request: AuthenticatedRequest, pk: int, adjustment_pk: int) -> HttpResponse:
    project = get_managed_project_for_user(request.user, pk)
    adjustment = get_adjustment(project, adjustment_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect(reverse("projects:detail", args=[project.pk]) + "#adjustments")
    try:
        services.decide_adjustment(
            actor=Actor.from_request(request),
            adjustment=adjustment,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your decision was recorded."))
    return redirect(reverse("projects:detail", args=[project.pk]) + "#adjustments")
