"""Registry pages: list, detail, registration and edit, reveal, photo, staff assignments.

Thin: validate the input, call a selector or a service, render. Every supervisee named in a URL
is fetched through a scoped selector, so anything outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.assessment.permissions import can_view_results
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.downloads import stored_file_response
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import add_service_errors
from zhengtu.core.query import int_param
from zhengtu.workspace.registry import supervisee_panels

from . import services
from .forms import (
    AssignmentForm,
    SuperviseeFilterForm,
    SuperviseeForm,
    family_formset,
    family_members_from,
)
from .identity import parse_identity_number
from .models import AssignmentRole
from .pagination import IdFirstPaginator
from .permissions import capability_required
from .rules import page_size, search_count_limit
from .selectors import (
    assignable_staff,
    get_supervisee_detail_for_user,
    get_supervisee_for_user,
    list_supervisees,
    responsible_officer_choices,
    responsible_offices_for,
)
from .terms import compute_term_end
from .widgets import render_picker


def _query_without_page(request: AuthenticatedRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def supervisee_list(request: AuthenticatedRequest) -> HttpResponse:
    form = SuperviseeFilterForm(request.GET, user=request.user)
    filters = form.filters()
    paginator = IdFirstPaginator(
        list_supervisees(request.user, filters), page_size(), count_limit=search_count_limit() if filters.q else None
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "today": timezone.localdate(),
        "can_edit": can(request.user, Capability.EDIT_SUPERVISEES),
        "can_import": can(request.user, Capability.IMPORT_SUPERVISEES),
        "can_export": can(request.user, Capability.EXPORT_SUPERVISEES),
        "can_reveal": can(request.user, Capability.REVEAL_IDENTITY),
    }
    if request.htmx and request.htmx.target == "results":  # type: ignore[attr-defined]
        return render(request, "supervisees/partials/results.html", context)
    return render(request, "supervisees/list.html", context)


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def supervisee_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = get_supervisee_detail_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=supervisee)
    assignments = list(supervisee.assignments.all())
    today = timezone.localdate()
    return render(
        request,
        "supervisees/detail.html",
        {
            "supervisee": supervisee,
            "open_assignments": [a for a in assignments if a.ended_at is None],
            "ended_assignments": [a for a in assignments if a.ended_at is not None],
            "days_left": (supervisee.term_end - today).days if supervisee.term_end >= today else None,
            "can_edit": can(request.user, Capability.EDIT_SUPERVISEES),
            "can_reveal": can(request.user, Capability.REVEAL_IDENTITY),
            "can_view_assessments": can_view_results(request.user),
            "panels": supervisee_panels("detail", request, supervisee),
        },
    )


@capability_required(Capability.VIEW_SUPERVISEES)
@require_POST
def reveal(request: AuthenticatedRequest, pk: int, field: str) -> HttpResponse:
    """HTMX: swap a masked number for the clear one (audited by the service)."""
    if field not in services.REVEALABLE_FIELDS:
        raise Http404
    supervisee = get_supervisee_for_user(request.user, pk)
    value = services.reveal_identity(actor=Actor.from_request(request), supervisee=supervisee, field=field)
    return render(request, "supervisees/partials/revealed.html", {"value": value or "—", "field": field})


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The photo, only through this scoped view (media files are never served statically)."""
    supervisee = get_supervisee_for_user(request.user, pk)
    return stored_file_response(supervisee.photo, inline=True)


def _render_form(request: AuthenticatedRequest, form: SuperviseeForm, family: Any, **extra: Any) -> HttpResponse:
    return render(request, "supervisees/form.html", {"form": form, "family": family, **extra})


@capability_required(Capability.EDIT_SUPERVISEES)
@require_http_methods(["GET", "POST"])
def supervisee_create(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        form = SuperviseeForm(request.POST, request.FILES, user=request.user)
        family = family_formset(request.POST)
        if form.is_valid() and family.is_valid():
            try:
                supervisee = services.create_supervisee(
                    actor=Actor.from_request(request),
                    family_members=family_members_from(family),
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": supervisee.name})
                return redirect("supervisees:detail", pk=supervisee.pk)
    else:
        form = SuperviseeForm(user=request.user)
        family = family_formset()
    return _render_form(request, form, family)


@capability_required(Capability.EDIT_SUPERVISEES)
@require_http_methods(["GET", "POST"])
def supervisee_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = get_supervisee_for_user(request.user, pk)
    if request.method == "POST":
        form = SuperviseeForm(request.POST, request.FILES, user=request.user, instance=supervisee)
        family = family_formset(request.POST, instance=supervisee)
        if form.is_valid() and family.is_valid():
            try:
                services.update_supervisee(
                    actor=Actor.from_request(request),
                    supervisee=supervisee,
                    family_members=family_members_from(family),
                    **form.service_fields(),
                )
            except ValidationError as error:
                supervisee.refresh_from_db()
                add_service_errors(form, error)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("supervisees:detail", pk=supervisee.pk)
    else:
        form = SuperviseeForm(user=request.user, instance=supervisee)
        family = family_formset(instance=supervisee)
    return _render_form(request, form, family, supervisee=supervisee)


@capability_required(Capability.EDIT_SUPERVISEES)
@require_POST
def preview(request: AuthenticatedRequest) -> HttpResponse:
    """HTMX: what the form derives (birth date and sex from the identity number, term end)."""
    context: dict[str, Any] = {}
    raw = request.POST.get("identity_number", "").strip()
    if raw:
        try:
            context["identity"] = parse_identity_number(raw)
        except ValidationError as error:
            context["identity_error"] = " ".join(error.messages)
    try:
        start = forms.DateField().clean(request.POST.get("term_start"))
        months = forms.IntegerField(min_value=0, max_value=1200).clean(request.POST.get("term_months"))
        extra_days = forms.IntegerField(min_value=0, max_value=3650).clean(request.POST.get("term_extra_days") or 0)
    except ValidationError:
        pass
    else:
        if start and months is not None:
            context["term_end"] = compute_term_end(start, months, extra_days or 0)
    return render(request, "supervisees/partials/derived.html", context)


@login_required
@require_GET
def division_picker(request: AuthenticatedRequest) -> HttpResponse:
    """HTMX: the division picker re-rendered after a level was chosen (public reference data)."""
    return HttpResponse(render_picker(request.GET.get("field", ""), request.GET))


@capability_required(Capability.EDIT_SUPERVISEES)
@require_GET
def officer_options(request: AuthenticatedRequest) -> HttpResponse:
    """HTMX: the officers who may be responsible, for the office just chosen."""
    office_id = int_param(request.GET, "responsible_office")
    office = responsible_offices_for(request.user).filter(pk=office_id).first() if office_id else None
    officers = responsible_officer_choices(request.user, office) if office else []
    return render(request, "supervisees/partials/officer_options.html", {"officers": officers})


@capability_required(Capability.EDIT_SUPERVISEES)
@require_http_methods(["GET", "POST"])
def assignments(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = get_supervisee_for_user(request.user, pk)
    staff = assignable_staff(supervisee)
    form = AssignmentForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_staff(
                actor=Actor.from_request(request),
                supervisee=supervisee,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is assigned.") % {"name": form.cleaned_data["user"]})
            return redirect("supervisees:assignments", pk=supervisee.pk)
    return render(
        request,
        "supervisees/assignments.html",
        {
            "supervisee": supervisee,
            "form": form,
            "assignments": supervisee.assignments.select_related("user", "user__organisation").order_by(
                "ended_at", "-assigned_at"
            ),
            "roles": AssignmentRole,
        },
    )


@capability_required(Capability.EDIT_SUPERVISEES)
@require_POST
def assignment_end(request: AuthenticatedRequest, pk: int, assignment_pk: int) -> HttpResponse:
    supervisee = get_supervisee_for_user(request.user, pk)
    assignment = get_or_404(supervisee.assignments.select_related("user"), assignment_pk)
    services.end_assignment(actor=Actor.from_request(request), assignment=assignment)
    messages.success(request, _("The assignment of %(name)s has ended.") % {"name": assignment.user})
    return redirect("supervisees:assignments", pk=supervisee.pk)
