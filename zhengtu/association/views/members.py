"""Member pages: applications, the administrator's decision and status changes, and the directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.services import Actor
from zhengtu.core.pages import run_form_action, save_form

from ..forms import MembershipDecisionForm, MembershipForm, MembershipStatusForm
from ..models import MemberKind, MembershipStatus
from ..selectors import (
    associations_managed_by,
    associations_serving,
    get_managed_membership,
    get_membership_for_user,
    member_directory,
    membership_counts,
    memberships_managed_by,
    own_memberships,
    unit_for_membership,
)
from ..services import members as services
from .common import require_capability


@login_required
def member_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ASSOCIATION)
    managed = memberships_managed_by(request.user)
    memberships = managed
    kind, status, query = request.GET.get("kind", ""), request.GET.get("status", ""), request.GET.get("q", "").strip()
    if kind in MemberKind.values:
        memberships = memberships.filter(kind=kind)
    if status in MembershipStatus.values:
        memberships = memberships.filter(status=status)
    if query:
        memberships = memberships.filter(name__icontains=query)
    page = Paginator(memberships.order_by("status", "kind", "member_number", "name"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "counts": membership_counts(managed),
        "kinds": MemberKind.choices,
        "statuses": MembershipStatus.choices,
        "kind": kind,
        "status": status,
        "q": query,
    }
    return render(request, "association/member_list.html", context)


@login_required
def directory(request: AuthenticatedRequest) -> HttpResponse:
    members = member_directory(request.user)
    kind = request.GET.get("kind", "")
    if kind in MemberKind.values:
        members = members.filter(kind=kind)
    page = Paginator(members.order_by("kind", "member_number"), 100).get_page(request.GET.get("page"))
    context = {"page": page, "kinds": MemberKind.choices, "kind": kind, "own": own_memberships(request.user)}
    return render(request, "association/directory.html", context)


@login_required
def membership_apply(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    manages = can(user, Capability.MANAGE_ASSOCIATION)
    associations = (associations_managed_by(user) | associations_serving(user)).distinct().order_by("path")
    if not associations.exists():
        messages.error(request, pgettext("association", "No association serves your organisation."))
        return redirect("association:directory")
    initial = {"name": user.display_name, "kind": MemberKind.INDIVIDUAL}
    form = MembershipForm(request.POST or None, associations=associations, initial=initial)
    # Staff apply for themselves or their own unit; administrators type in paper applications unlinked.
    unit = unit_for_membership(user)
    if (
        request.method == "POST"
        and form.is_valid()
        and not manages
        and form.cleaned_data["kind"] == MemberKind.UNIT
        and unit is None
    ):
        form.add_error(
            "kind",
            pgettext(
                "association",
                "Only an agency's project manager can apply for unit membership; apply as an individual instead.",
            ),
        )  # the form is then no longer valid
    if saved := save_form(
        request,
        form,
        lambda data: services.apply_for_membership(
            actor=Actor.from_request(request),
            organisation=None if manages else unit,
            user=None if manages else user,
            **data,
        ),
    ):
        messages.success(request, pgettext("association", "The application has been submitted."))
        return redirect("association:member-detail", pk=saved.result.pk)
    return render(request, "association/membership_form.html", {"form": form})


@login_required
def member_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request.user, pk)
    manages = memberships_managed_by(request.user).filter(pk=membership.pk).exists()
    context = {
        "membership": membership,
        "manages": manages,
        "decision_form": MembershipDecisionForm(),
        "status_form": MembershipStatusForm(),
    }
    return render(request, "association/member_detail.html", context)


@login_required
@require_POST
def member_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = get_managed_membership(request.user, pk)
    form = MembershipDecisionForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: services.decide_membership(
            actor=Actor.from_request(request),
            membership=membership,
            approve=data["approve"],
            note=data["note"],
        ),
        invalid=pgettext("association", "Choose approve or reject."),
        done=pgettext("association", "The decision has been recorded."),
    )
    return redirect("association:member-detail", pk=membership.pk)


@login_required
@require_POST
def member_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = get_managed_membership(request.user, pk)
    form = MembershipStatusForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: services.change_membership_status(
            actor=Actor.from_request(request), membership=membership, **data
        ),
        invalid=pgettext("association", "Choose the new status and give the reason."),
        done=pgettext("association", "The membership status has been changed."),
    )
    return redirect("association:member-detail", pk=membership.pk)
