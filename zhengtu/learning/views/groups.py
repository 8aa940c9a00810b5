"""Staff pages of the lecturer pool and group sessions; the supervisee's QR sign-in and evaluation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.association.sign_in import qr_code_svg
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability, require_rule
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import run_action, save_form
from zhengtu.core.private_files import private_file_response
from zhengtu.orgs.models import Organisation
from zhengtu.projects.models import ServiceProject
from zhengtu.projects.selectors import projects_visible_to
from zhengtu.selfservice.access import SuperviseeRequest, supervisee_required

from ..models import GroupAttendance, GroupSessionPhoto, Lecturer, Profession
from ..selectors import get_group_session_for_user, group_sessions_visible_to, lecturers_visible_to
from ..services import groups
from .common import is_learning_staff


class LecturerForm(forms.Form):
    name = forms.CharField(label=_("name of the lecturer"), max_length=50)
    profession = forms.ChoiceField(label=_("profession"), choices=Profession.choices)
    work_unit = forms.CharField(label=_("work unit"), max_length=100, required=False)
    topics = forms.CharField(label=_("topics"), max_length=200)
    availability = forms.CharField(label=_("availability"), max_length=200, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)


class SessionForm(forms.Form):
    lecturer: forms.ModelChoiceField[Lecturer] = forms.ModelChoiceField(
        label=_("lecturer"), queryset=Lecturer.objects.none()
    )
    topic = forms.CharField(label=_("topic of the session"), max_length=200)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    hours = forms.DecimalField(label=_("hours credited"), min_value=0, max_value=8, decimal_places=1)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    project: forms.ModelChoiceField[ServiceProject] = forms.ModelChoiceField(
        label=_("project"),
        queryset=ServiceProject.objects.none(),
        required=False,
        empty_label=_("— none (not part of a project) —"),
        help_text=_("The session counts as one education session of this project (教育学习 场次)."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lecturer"].queryset = lecturers_visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects_visible_to(user).exclude(status="closed")  # type: ignore[attr-defined]


def _organisation(request: AuthenticatedRequest) -> Organisation:
    if request.user.organisation is None:
        raise PermissionDenied
    return request.user.organisation


@login_required
def lecturers(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    form = LecturerForm(request.POST or None)
    if request.method == "POST":
        require_capability(request.user, Capability.MANAGE_LEARNING)
        if save_form(
            request,
            form,
            lambda data: groups.add_lecturer(
                actor=Actor.from_request(request), organisation=_organisation(request), **data
            ),
        ):
            return redirect("learning:lecturers")
    pool = lecturers_visible_to(request.user).annotate(
        rating=Avg("sessions__attendances__rating"), held=Count("sessions", distinct=True)
    )
    return render(
        request,
        "learning/lecturers.html",
        {"lecturers": pool, "form": form, "can_manage": can(request.user, Capability.MANAGE_LEARNING)},
    )


@login_required
def group_sessions(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST":
        require_capability(request.user, Capability.MANAGE_LEARNING)
        saved = save_form(
            request,
            form,
            lambda data: groups.book_session(
                actor=Actor.from_request(request), organisation=_organisation(request), **data
            ),
        )
        if saved:
            return redirect("learning:group_session", saved.result.pk)
    found = group_sessions_visible_to(request.user).select_related("lecturer").annotate(signed=Count("attendances"))
    return render(request, "learning/group_sessions.html", {"sessions": found[:200], "form": form})


@login_required
def group_session(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    session = get_group_session_for_user(request.user, pk)
    url = request.build_absolute_uri(reverse("learning_app:sign_in", args=[groups.sign_in_token(session)]))
    attendances = session.attendances.select_related("supervisee")
    return render(
        request,
        "learning/group_session.html",
        {
            "session": session,
            "qr": qr_code_svg(url),
            "url": url,
            "attendances": attendances,
            "rating": attendances.aggregate(avg=Avg("rating"))["avg"],
            "photos": session.photos.all(),
            "can_manage": can(request.user, Capability.MANAGE_LEARNING),
        },
    )


@login_required
@require_POST
def group_session_photos(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    session = get_group_session_for_user(request.user, pk)
    require_capability(request.user, Capability.MANAGE_LEARNING)
    uploads = request.FILES.getlist("photos")
    run_action(
        request,
        lambda: groups.add_photos(actor=Actor.from_request(request), session=session, uploads=uploads),
        done=str(_("Photos added: %(count)s.") % {"count": len(uploads)}),
    )
    return redirect("learning:group_session", session.pk)


@login_required
def group_session_photo(request: AuthenticatedRequest, pk: int, photo: int) -> FileResponse:
    require_rule(request.user, is_learning_staff)
    session = get_group_session_for_user(request.user, pk)
    found = get_or_404(GroupSessionPhoto.objects.filter(session=session), photo)
    return private_file_response(
        request,
        found.photo,
        audit_target=session,
        what="group_session_photo",
        detail={"photo": found.pk},
        content_type="image/jpeg",
    )


@supervisee_required
def sign_in(request: SuperviseeRequest, token: str) -> HttpResponse:
    session = groups.session_for_token(token)
    attendance = GroupAttendance.objects.filter(session=session, supervisee=request.supervisee).first()
    if request.method == "POST":
        actor = Actor.from_request(request)
        if attendance is None:
            run_action(
                request,
                lambda: groups.sign_in(actor=actor, supervisee=request.supervisee, token=token),
                done=str(_("Signed in.")),
            )
        elif request.POST.get("rating", "").isdigit():
            found = attendance
            run_action(
                request,
                lambda: groups.evaluate(
                    actor=actor,
                    attendance=found,
                    rating=int(request.POST["rating"]),
                    comment=request.POST.get("comment", ""),
                ),
                done=str(_("Thank you for your evaluation.")),
            )
        return redirect("learning_app:sign_in", token)
    return render(request, "learning/phone/sign_in.html", {"session": session, "attendance": attendance})
