"""Round pages: the list, running a round (projects, panels, draws), and its summary report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.association.views.common import require_capability, save_for_association
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.downloads import download_response
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import run_form_action, save_form

from ..eligibility import eligibility_for
from ..forms import AddProjectsForm, DrawForm, ManualMemberForm, PanelForm, RoundForm, RoundTextsForm
from ..models import Expert, RoundStatus
from ..reports import render_round_summary, round_figures, round_scores
from ..rules import rule
from ..selectors import (
    get_managed_panel,
    get_managed_round,
    get_round_for_user,
    inspections_visible_to,
    projects_for_rounds,
    rounds_managed_by,
    rounds_visible_to,
    rubrics_managed_by,
    scoresheets_to_fill,
)
from ..services import rounds as services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "rounds": rounds_visible_to(request.user).order_by("-starts_on", "-pk"),
        "manages": can(request.user, Capability.MANAGE_ASSOCIATION),
        "to_score": scoresheets_to_fill(request.user),
    }
    return render(request, "inspections/round_list.html", context)


@login_required
def round_create(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ASSOCIATION)
    rubrics = rubrics_managed_by(request.user)
    form = RoundForm(request.POST or None, rubrics=rubrics)
    if saved := save_for_association(
        request,
        form,
        lambda association, data: services.create_round(
            actor=Actor.from_request(request), association=association, **data
        ),
    ):
        messages.success(
            request, pgettext("inspections", "The round has been created. Now add the projects and the panels.")
        )
        return redirect("inspections:round-detail", pk=saved.result.pk)
    return render(request, "inspections/round_form.html", {"form": form, "has_rubrics": rubrics.exists()})


@login_required
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection_round = get_round_for_user(request.user, pk)
    manages = rounds_managed_by(request.user).filter(pk=inspection_round.pk).exists()
    if not manages:
        inspections = inspections_visible_to(request.user).filter(round=inspection_round).order_by("project__name")
        context = {"round": inspection_round, "inspections": inspections, "manages": False}
        return render(request, "inspections/round_detail.html", context)
    scores = round_scores(inspection_round)
    panels = []
    for panel in inspection_round.panels.prefetch_related("members__expert", "draws").order_by("pk"):
        eligibility = eligibility_for(panel)
        panels.append(
            {
                "panel": panel,
                "members": panel.members.select_related("expert").order_by("-is_leader", "pk"),
                "draws": panel.draws.all(),
                "eligible": len(eligibility.eligible),
                "excluded": [
                    (expert, eligibility.excluded[expert.pk])
                    for expert in Expert.objects.filter(pk__in=eligibility.excluded.keys()).order_by("name")
                ],
                "draw_form": DrawForm(
                    initial={"size": rule("inspection_default_panel_size")}, auto_id=f"panel{panel.pk}-%s"
                ),
                "manual_form": ManualMemberForm(
                    experts=Expert.objects.filter(association=inspection_round.association)
                    .exclude(panel_seats__panel=panel)
                    .order_by("name"),
                    prefix=f"panel{panel.pk}",
                ),
            }
        )
    in_round = inspection_round.inspections.values("project_id")
    context = {
        "round": inspection_round,
        "manages": True,
        "scores": scores,
        "figures": round_figures(scores),
        "panels": panels,
        "panel_form": PanelForm(),
        "projects_form": AddProjectsForm(projects=projects_for_rounds(request.user).exclude(pk__in=in_round)),
    }
    return render(request, "inspections/round_detail.html", context)


@login_required
def round_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection_round = get_managed_round(request.user, pk)
    initial = {name: getattr(inspection_round, name) for name in services.ROUND_FIELDS}
    form = RoundTextsForm(request.POST or None, initial=initial)
    if save_form(
        request,
        form,
        lambda data: services.update_round(
            actor=Actor.from_request(request), inspection_round=inspection_round, **data
        ),
    ):
        messages.success(request, pgettext("inspections", "The round has been updated."))
        return redirect("inspections:round-detail", pk=inspection_round.pk)
    return render(request, "inspections/round_edit.html", {"form": form, "round": inspection_round})


@login_required
@require_POST
def round_add_projects(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection_round = get_managed_round(request.user, pk)
    form = AddProjectsForm(request.POST, projects=projects_for_rounds(request.user))
    if form.is_valid():
        try:
            added = services.add_projects(
                actor=Actor.from_request(request),
                inspection_round=inspection_round,
                projects=form.cleaned_data["projects"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, pgettext("inspections", "%(count)d projects added to the round.") % {"count": len(added)}
            )
    else:
        messages.error(request, pgettext("inspections", "Choose at least one project."))
    return redirect(reverse("inspections:round-detail", args=[inspection_round.pk]) + "#projects")


@login_required
@require_POST
def round_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection_round = get_managed_round(request.user, pk)
    actor = Actor.from_request(request)
    try:
        if request.POST.get("to") == RoundStatus.IN_PROGRESS:
            services.start_round(actor=actor, inspection_round=inspection_round)
            messages.success(request, pgettext("inspections", "The round has started; the panels have been notified."))
        elif request.POST.get("to") == RoundStatus.COMPLETED:
            services.complete_round(actor=actor, inspection_round=inspection_round)
            messages.success(request, pgettext("inspections", "The round is completed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("inspections:round-detail", pk=inspection_round.pk)


@login_required
def round_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection_round = get_managed_round(request.user, pk)
    content = render_round_summary(inspection_round)
    record_event(request, action=Action.EXPORT, target=inspection_round, detail={"report": "round_summary"})
    filename = pgettext("inspections", "inspection-summary-%(pk)s.docx") % {"pk": inspection_round.pk}
    return download_response(content, filename, DOCX)


@login_required
@require_POST
def panel_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection_round = get_managed_round(request.user, pk)
    form = PanelForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: services.create_panel(
            actor=Actor.from_request(request), inspection_round=inspection_round, name=data["name"]
        ),
        invalid=pgettext("inspections", "Give the panel a name."),
    )
    return redirect(reverse("inspections:round-detail", args=[inspection_round.pk]) + "#panels")


@login_required
@require_POST
def panel_draw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_managed_panel(request.user, pk)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            draw = services.draw_panel(
                actor=Actor.from_request(request),
                panel=panel,
                size=form.cleaned_data["size"],
                required_specialties=form.cleaned_data["required_specialties"],
                seed=form.cleaned_data["seed"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                pgettext("inspections", "%(count)d experts drawn (seed %(seed)s).")
                % {"count": len(draw.chosen_ids), "seed": draw.seed},
            )
    else:
        messages.error(request, pgettext("inspections", "Give the panel size."))
    return redirect(reverse("inspections:round-detail", args=[panel.round_id]) + f"#panel-{panel.pk}")


@login_required
@require_POST
def panel_member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    panel = get_managed_panel(request.user, pk)
    experts = Expert.objects.filter(association=panel.round.association)
    form = ManualMemberForm(request.POST, experts=experts, prefix=f"panel{panel.pk}")
    run_form_action(
        request,
        form,
        lambda data: services.add_panel_member(actor=Actor.from_request(request), panel=panel, **data),
        invalid=pgettext("inspections", "Choose the expert and record why."),
        done=pgettext("inspections", "The expert has been added to the panel."),
    )
    return redirect(reverse("inspections:round-detail", args=[panel.round_id]) + f"#panel-{panel.pk}")


@login_required
@require_POST
def panel_member_change(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    panel = get_managed_panel(request.user, pk)
    member = get_or_404(panel.members, member_pk)
    actor = Actor.from_request(request)
    try:
        if request.POST.get("action") == "leader":
            services.make_leader(actor=actor, member=member)
        elif request.POST.get("action") == "remove":
            services.remove_panel_member(actor=actor, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("inspections:round-detail", args=[panel.round_id]) + f"#panel-{panel.pk}")
