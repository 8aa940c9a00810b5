"""The expert pool pages (association administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.association.selectors import association_of
from zhengtu.association.views.common import attach_errors, require_capability
from zhengtu.audit.services import Actor

from ..forms import AbsenceForm, ConflictForm, ExpertForm
from ..models import Specialty
from ..selectors import experts_managed_by, get_managed_expert, inspector_accounts, organisations_in_area
from ..services import experts as services


def _expert_form(request: AuthenticatedRequest, **kwargs: object) -> ExpertForm:
    return ExpertForm(
        request.POST or None,
        organisations=organisations_in_area(request.user),
        accounts=inspector_accounts(request.user),
        **kwargs,  # type: ignore[arg-type]
    )


@login_required
def expert_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ASSOCIATION)
    experts = experts_managed_by(request.user)
    specialty, query = request.GET.get("specialty", ""), request.GET.get("q", "").strip()
    if specialty in Specialty.values:
        experts = experts.filter(specialty=specialty)
    if query:
        experts = experts.filter(Q(name__icontains=query) | Q(employer_name__icontains=query))
    context = {
        "experts": experts.order_by("name"),
        "specialties": Specialty.choices,
        "specialty": specialty,
        "q": query,
    }
    return render(request, "inspections/expert_list.html", context)


@login_required
def expert_create(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ASSOCIATION)
    form = _expert_form(request)
    if request.method == "POST" and form.is_valid():
        association = association_of(request.user)
        if association is None:
            form.add_error(None, pgettext("inspections", "Your account does not belong to an association."))
        else:
            try:
                expert = services.create_expert(
                    actor=Actor.from_request(request), association=association, **form.cleaned_data
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, pgettext("inspections", "The expert has been added to the pool."))
                return redirect("inspections:expert-detail", pk=expert.pk)
    return render(request, "inspections/expert_form.html", {"form": form, "expert": None})


@login_required
def expert_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    expert = get_managed_expert(request.user, pk)
    initial = {name: getattr(expert, name) for name in services.EXPERT_FIELDS}
    form = _expert_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_expert(actor=Actor.from_request(request), expert=expert, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, pgettext("inspections", "The expert has been updated."))
            return redirect("inspections:expert-detail", pk=expert.pk)
    context = {
        "expert": expert,
        "form": form,
        "conflict_form": ConflictForm(organisations=organisations_in_area(request.user)),
        "absence_form": AbsenceForm(),
        "conflicts": expert.conflicts.select_related("organisation"),
        "absences": expert.absences.all(),
        "seats": expert.panel_seats.select_related("panel__round").order_by("-panel__round__starts_on"),
    }
    return render(request, "inspections/expert_detail.html", context)


@login_required
@require_POST
def conflict_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    expert = get_managed_expert(request.user, pk)
    form = ConflictForm(request.POST, organisations=organisations_in_area(request.user))
    if form.is_valid():
        try:
            services.declare_conflict(actor=Actor.from_request(request), expert=expert, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, pgettext("inspections", "The conflict of interest has been recorded."))
    else:
        messages.error(request, pgettext("inspections", "Choose the organisation."))
    return redirect("inspections:expert-detail", pk=expert.pk)


@login_required
@require_POST
def conflict_remove(request: AuthenticatedRequest, pk: int, conflict_pk: int) -> HttpResponse:
    expert = get_managed_expert(request.user, pk)
    conflict = get_object_or_404(expert.conflicts, pk=conflict_pk)
    services.withdraw_conflict(actor=Actor.from_request(request), conflict=conflict)
    messages.success(request, pgettext("inspections", "The conflict of interest has been withdrawn."))
    return redirect("inspections:expert-detail", pk=expert.pk)


@login_required
@require_POST
def absence_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    expert = get_managed_expert(request.user, pk)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.record_absence(actor=Actor.from_request(request), expert=expert, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, pgettext("inspections", "The absence has been recorded."))
    else:
        messages.error(request, pgettext("inspections", "Enter the first and last day of the absence."))
    return redirect("inspections:expert-detail", pk=expert.pk)
