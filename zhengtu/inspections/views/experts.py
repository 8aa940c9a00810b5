"""The expert pool pages (association administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.association.views.common import require_capability, save_for_association
from zhengtu.audit.services import Actor
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import run_form_action, save_form

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
    if saved := save_for_association(
        request,
        form,
        lambda association, data: services.create_expert(
            actor=Actor.from_request(request), association=association, **data
        ),
    ):
        messages.success(request, pgettext("inspections", "The expert has been added to the pool."))
        return redirect("inspections:expert-detail", pk=saved.result.pk)
    return render(request, "inspections/expert_form.html", {"form": form, "expert": None})


@login_required
def expert_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    expert = get_managed_expert(request.user, pk)
    initial = {name: getattr(expert, name) for name in services.EXPERT_FIELDS}
    form = _expert_form(request, initial=initial)
    if save_form(
        request, form, lambda data: services.update_expert(actor=Actor.from_request(request), expert=expert, **data)
    ):
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
    run_form_action(
        request,
        form,
        lambda data: services.declare_conflict(actor=Actor.from_request(request), expert=expert, **data),
        invalid=pgettext("inspections", "Choose the organisation."),
        done=pgettext("inspections", "The conflict of interest has been recorded."),
    )
    return redirect("inspections:expert-detail", pk=expert.pk)


@login_required
@require_POST
def conflict_remove(request: AuthenticatedRequest, pk: int, conflict_pk: int) -> HttpResponse:
    expert = get_managed_expert(request.user, pk)
    conflict = get_or_404(expert.conflicts, conflict_pk)
    services.withdraw_conflict(actor=Actor.from_request(request), conflict=conflict)
    messages.success(request, pgettext("inspections", "The conflict of interest has been withdrawn."))
    return redirect("inspections:expert-detail", pk=expert.pk)


@login_required
@require_POST
def absence_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    expert = get_managed_expert(request.user, pk)
    form = AbsenceForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: services.record_absence(actor=Actor.from_request(request), expert=expert, **data),
        invalid=pgettext("inspections", "Enter the first and last day of the absence."),
        done=pgettext("inspections", "The absence has been recorded."),
    )
    return redirect("inspections:expert-detail", pk=expert.pk)
