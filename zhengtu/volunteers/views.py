"""Pages of the volunteers app: registry, a volunteer's assignments and hours, professional development, studios."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability
from zhengtu.core.pages import run_action, run_form_action
from zhengtu.juvenile.selectors import cases_visible_to
from zhengtu.juvenile.views.common import form_page
from zhengtu.supervisees.selectors import supervisees_visible_to

from . import services
from .forms import (
    AssignForm,
    HoursForm,
    SessionForm,
    StudioForm,
    StudioMemberForm,
    StudioOutputForm,
    TrainingForm,
    VolunteerForm,
)
from .models import SupervisionSession
from .selectors import (
    assignments_visible_to,
    development_overview,
    get_assignment_for_user,
    get_hours_for_user,
    get_studio_for_user,
    get_volunteer_for_user,
    pool_of,
    studios_visible_to,
    volunteers_visible_to,
    workers_of,
)


@login_required
def volunteer_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    volunteers = volunteers_visible_to(request.user).select_related("organisation")
    return render(request, "volunteers/list.html", {"volunteers": volunteers})


@login_required
def volunteer_new(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    form = VolunteerForm(request.POST or None, organisations=pool_of(request.user), initial={"training_hours": 0})
    return form_page(
        request,
        form,
        title=_("Register a volunteer"),
        save=lambda d: services.register_volunteer(actor=Actor.from_request(request), **d),
        next_url=lambda v: reverse("volunteers:detail", args=[v.pk]),
        back=reverse("volunteers:list"),
    )


@login_required
def volunteer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    volunteer = get_volunteer_for_user(request.user, pk)
    assignments = assignments_visible_to(request.user).filter(volunteer=volunteer).prefetch_related("hours")
    return render(
        request,
        "volunteers/detail.html",
        {"volunteer": volunteer, "assignments": assignments, "hours_form": HoursForm()},
    )


@login_required
def volunteer_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    volunteer = get_volunteer_for_user(request.user, pk)
    form = AssignForm(
        request.POST or None,
        cases=cases_visible_to(request.user).filter(sealed_at__isnull=True),
        supervisees=supervisees_visible_to(request.user).order_by("name"),
    )
    return form_page(
        request,
        form,
        title=_("Assign %(name)s") % {"name": volunteer.name},
        save=lambda d: services.assign_volunteer(actor=Actor.from_request(request), volunteer=volunteer, **d),
        next_url=lambda a: reverse("volunteers:detail", args=[volunteer.pk]),
        done=_("The volunteer has been assigned."),
        back=reverse("volunteers:detail", args=[volunteer.pk]),
    )


@login_required
@require_POST
def hours_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    assignment = get_assignment_for_user(request.user, pk)
    run_form_action(
        request,
        HoursForm(request.POST),
        lambda d: services.log_hours(actor=Actor.from_request(request), assignment=assignment, **d),
        invalid=_("Give the date, the hours and the activity."),
        done=_("The hours have been logged."),
    )
    return redirect("volunteers:detail", pk=assignment.volunteer_id)


@login_required
@require_POST
def hours_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    entry = get_hours_for_user(request.user, pk)
    run_action(
        request,
        lambda: services.confirm_hours(actor=Actor.from_request(request), entry=entry),
        done=_("The hours have been confirmed."),
    )
    return redirect("volunteers:detail", pk=entry.assignment.volunteer_id)


@login_required
def development(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    year = timezone.localdate().year
    if str(request.GET.get("year", "")).isdigit():
        year = int(request.GET["year"])
    workers = workers_of(request.user)
    training_form = TrainingForm(request.POST if request.POST.get("form") == "training" else None, workers=workers)
    session_form = SessionForm(request.POST if request.POST.get("form") == "session" else None, workers=workers)
    actor = Actor.from_request(request)
    if request.method == "POST":
        if request.POST.get("form") == "training":
            ok = run_form_action(
                request,
                training_form,
                lambda d: services.record_training(actor=actor, **d),
                invalid=_("Check the training record."),
                done=_("The training has been recorded."),
            )
        else:
            ok = run_form_action(
                request,
                session_form,
                lambda d: services.record_supervision_session(actor=actor, **d),
                invalid=_("Check the supervision session."),
                done=_("The supervision session has been recorded."),
            )
        if ok:
            return redirect("volunteers:development")
    sessions = SupervisionSession.objects.filter(workers__in=workers).distinct().prefetch_related("workers")[:30]
    return render(
        request,
        "volunteers/development.html",
        {
            "year": year,
            "rows": development_overview(request.user, year),
            "training_form": training_form,
            "session_form": session_form,
            "sessions": sessions,
        },
    )


@login_required
def studio_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    form = StudioForm(request.POST or None, organisations=pool_of(request.user))
    if request.method == "POST":
        return form_page(
            request,
            form,
            title=_("New talent studio"),
            save=lambda d: services.create_studio(actor=Actor.from_request(request), **d),
            next_url=lambda s: reverse("volunteers:studio", args=[s.pk]),
        )
    return render(request, "volunteers/studios.html", {"studios": studios_visible_to(request.user), "form": form})


@login_required
def studio_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_VOLUNTEERS)
    studio = get_studio_for_user(request.user, pk)
    actor = Actor.from_request(request)
    member_form = StudioMemberForm(request.POST if request.POST.get("form") == "member" else None)
    output_form = StudioOutputForm(request.POST if request.POST.get("form") == "output" else None)
    if request.method == "POST":
        if request.POST.get("form") == "member":
            run_form_action(
                request,
                member_form,
                lambda d: services.add_studio_member(actor=actor, studio=studio, **d),
                invalid=_("Give the member's name and role."),
            )
        else:
            run_form_action(
                request,
                output_form,
                lambda d: services.add_studio_output(actor=actor, studio=studio, **d),
                invalid=_("Give the output's title, kind and date."),
            )
        return redirect("volunteers:studio", pk=studio.pk)
    # The studio's cases as this user may see them: sealed ones only for the people on them.
    cases = cases_visible_to(request.user).filter(studios=studio)
    return render(
        request,
        "volunteers/studio.html",
        {
            "studio": studio,
            "members": studio.members.all(),
            "outputs": studio.outputs.all(),
            "cases": cases,
            "member_form": member_form,
            "output_form": output_form,
        },
    )
