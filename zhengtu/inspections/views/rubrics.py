"""Rubric pages: the association's scoring templates, built from the standard one or by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.association.selectors import association_of
from zhengtu.association.views.common import require_capability
from zhengtu.audit.services import Actor
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import add_service_errors

from ..forms import IndicatorForm, SectionForm
from ..models import RubricIndicator
from ..scoring import rubric_weights
from ..selectors import get_managed_rubric, rubrics_managed_by
from ..services import rubrics as services


@login_required
def rubric_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ASSOCIATION)
    if request.method == "POST":
        association = association_of(request.user)
        if association is not None:
            rubric = services.create_standard_rubric(actor=Actor.from_request(request), association=association)
            messages.success(request, pgettext("inspections", "The standard rubric has been added."))
            return redirect("inspections:rubric-detail", pk=rubric.pk)
    return render(request, "inspections/rubric_list.html", {"rubrics": rubrics_managed_by(request.user)})


@login_required
def rubric_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rubric = get_managed_rubric(request.user, pk)
    sections, section_weights, total = rubric_weights(rubric)
    section_form = SectionForm(request.POST if "add_section" in request.POST else None)
    indicator_form = IndicatorForm(
        request.POST if "add_indicator" in request.POST else None, sections=rubric.sections.all()
    )
    actor = Actor.from_request(request)
    if request.method == "POST":
        try:
            if "add_section" in request.POST and section_form.is_valid():
                services.add_section(actor=actor, rubric=rubric, **section_form.cleaned_data)
                return redirect("inspections:rubric-detail", pk=rubric.pk)
            if "add_indicator" in request.POST and indicator_form.is_valid():
                services.add_indicator(actor=actor, **indicator_form.cleaned_data)
                return redirect("inspections:rubric-detail", pk=rubric.pk)
            if "copy" in request.POST:
                copy = services.copy_rubric(
                    actor=actor, rubric=rubric, name=pgettext("inspections", "Copy of %(name)s") % {"name": rubric.name}
                )
                messages.success(request, pgettext("inspections", "The rubric has been copied."))
                return redirect("inspections:rubric-detail", pk=copy.pk)
        except ValidationError as error:
            add_service_errors(indicator_form if "add_indicator" in request.POST else section_form, error)
    context = {
        "rubric": rubric,
        "sections": [(s, section_weights[s.pk]) for s in sections],
        "total": total,
        "locked": services.rubric_in_use(rubric),
        "section_form": section_form,
        "indicator_form": indicator_form,
    }
    return render(request, "inspections/rubric_detail.html", context)


@login_required
@require_POST
def indicator_remove(request: AuthenticatedRequest, pk: int, indicator_pk: int) -> HttpResponse:
    rubric = get_managed_rubric(request.user, pk)
    indicator = get_or_404(RubricIndicator.objects.filter(section__template=rubric), indicator_pk)
    try:
        services.remove_indicator(actor=Actor.from_request(request), indicator=indicator)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("inspections:rubric-detail", pk=rubric.pk)
