"""Organisation admin pages: the tree of the manager's subtree; create, edit and move inside it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability
from zhengtu.core.query import int_param

from .forms import OrganisationForm
from .models import Organisation
from .selectors import get_organisation_for_manager, organisation_tree_for, organisations_manageable_by
from .services import create_organisation, update_organisation


@login_required
def tree(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    return render(request, "orgs/tree.html", {"rows": organisation_tree_for(request.user)})


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    organisation = get_organisation_for_manager(request.user, pk)
    children = organisations_manageable_by(request.user).filter(parent=organisation).order_by("name")
    members = organisation.members.order_by("-is_active", "role", "username")
    return render(
        request,
        "orgs/detail.html",
        {
            "organisation": organisation,
            "ancestors": [a for a in organisation.ancestors() if a.pk != organisation.pk],
            "children": children,
            "members": members,
            "can_manage_users": request.user.can(Capability.MANAGE_USERS),
        },
    )


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    parents = organisations_manageable_by(request.user)
    initial: dict[str, Any] = {"is_active": True}
    if (parent_id := int_param(request.GET, "parent")) is not None:
        initial["parent"] = parents.filter(pk=parent_id).first()
    form = OrganisationForm(
        request.POST or None, parents=parents, parent_required=not request.user.is_superuser, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = create_organisation(actor=Actor.from_request(request), **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Organisation “%(name)s” created.") % {"name": organisation.name})
            return redirect("orgs:detail", pk=organisation.pk)
    return render(request, "orgs/form.html", {"form": form, "organisation": None})


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    organisation = get_organisation_for_manager(request.user, pk)
    below = Organisation.objects.filter(path__startswith=organisation.path).values("pk")
    parents = organisations_manageable_by(request.user).exclude(pk__in=below)
    initial = {
        "name": organisation.name,
        "kind": organisation.kind,
        "parent": organisation.parent,
        "division": organisation.division,
        "address": organisation.address,
        "phone": organisation.phone,
        "is_active": organisation.is_active,
    }
    form = OrganisationForm(
        request.POST or None, parents=parents, parent_required=not request.user.is_superuser, initial=initial
    )
    is_own_top = not request.user.is_superuser and organisation.pk == request.user.organisation_id
    if is_own_top:
        # The organisation a manager works in is the top of their tree: they edit it, never move it.
        del form.fields["parent"]
    if request.method == "POST" and form.is_valid():
        try:
            organisation = update_organisation(
                organisation=organisation, actor=Actor.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Organisation “%(name)s” saved.") % {"name": organisation.name})
            return redirect("orgs:detail", pk=organisation.pk)
    return render(request, "orgs/form.html", {"form": form, "organisation": organisation})
