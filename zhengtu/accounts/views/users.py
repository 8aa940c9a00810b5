"""User-management pages (Capability.MANAGE_USERS): accounts inside the manager's subtree only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user

from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability
from zhengtu.core.pages import add_service_errors, run_action
from zhengtu.core.query import int_param
from zhengtu.orgs.models import Organisation
from zhengtu.orgs.selectors import organisations_visible_to

from ..forms import NewPasswordFields, UserCreateForm, UserFilterForm, UserUpdateForm
from ..http import AuthenticatedRequest
from ..lockout import locked_until
from ..roles import Capability
from ..selectors import filter_users, get_user_for_manager, users_visible_to
from ..services import (
    create_user,
    reset_two_factor,
    set_user_active,
    set_user_password,
    unlock_account,
    update_user,
)

PAGE_SIZE = 50


def _organisations(request: AuthenticatedRequest) -> QuerySet[Organisation]:
    """Where the manager may place accounts: their own subtree."""
    return organisations_visible_to(request.user)


@login_required
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS)
    form = UserFilterForm(request.GET, organisations=_organisations(request))
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    organisation: Organisation | None = data.get("organisation")
    users = filter_users(
        users_visible_to(request.user),
        query=(data.get("q") or "").strip(),
        role=data.get("role") or "",
        organisation_id=organisation.pk if organisation else None,
        active=data.get("active") or "",
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    return render(request, "accounts/users/list.html", {"form": form, "page": page, "query": query})


@sensitive_post_parameters("new_password1", "new_password2")
@login_required
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS)
    initial = {}
    if (organisation_id := int_param(request.GET, "organisation")) is not None:
        initial["organisation"] = _organisations(request).filter(pk=organisation_id).first()
    form = UserCreateForm(request.POST or None, organisations=_organisations(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = create_user(
                actor=Actor.from_request(request),
                username=data["username"],
                password=data["new_password1"],
                role=data["role"],
                organisation=data["organisation"],
                full_name=data["full_name"],
                title=data["title"],
                phone=data["phone"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Account “%(username)s” created. At the first login they will set up two-factor login.")
                % {"username": user.username},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/users/create.html", {"form": form})


@login_required
def user_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS)
    managed = get_user_for_manager(request.user, pk)
    initial = {name: getattr(managed, name) for name in ("full_name", "role", "organisation", "title", "phone")}
    form = UserUpdateForm(request.POST or None, organisations=_organisations(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_user(actor=Actor.from_request(request), user=managed, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Account “%(username)s” saved.") % {"username": managed.username})
            return redirect("accounts:user_detail", pk=managed.pk)
    return render(
        request,
        "accounts/users/detail.html",
        {
            "managed": managed,
            "form": form,
            "devices": list(devices_for_user(managed, confirmed=True)),
            "is_self": managed.pk == request.user.pk,
            "locked_until": locked_until(managed.username),
        },
    )


@require_POST
@login_required
def user_set_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS)
    managed = get_user_for_manager(request.user, pk)
    active = request.POST.get("active") == "1"
    if active:
        done = _("Account “%(username)s” reactivated.") % {"username": managed.username}
    else:
        done = _("Account “%(username)s” deactivated: it can no longer log in.") % {"username": managed.username}
    run_action(
        request, lambda: set_user_active(actor=Actor.from_request(request), user=managed, active=active), done=done
    )
    return redirect("accounts:user_detail", pk=managed.pk)


@require_POST
@login_required
def user_reset_two_factor(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS)
    managed = get_user_for_manager(request.user, pk)
    run_action(
        request,
        lambda: reset_two_factor(actor=Actor.from_request(request), user=managed),
        done=_("Two-factor login of “%(username)s” was reset: they set up a new authenticator at their next login.")
        % {"username": managed.username},
    )
    return redirect("accounts:user_detail", pk=managed.pk)


@require_POST
@login_required
def user_unlock(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS)
    managed = get_user_for_manager(request.user, pk)
    run_action(
        request,
        lambda: unlock_account(actor=Actor.from_request(request), user=managed),
        done=_("Account “%(username)s” unlocked.") % {"username": managed.username},
    )
    return redirect("accounts:user_detail", pk=managed.pk)


@sensitive_post_parameters("new_password1", "new_password2")
@login_required
def user_set_password(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS)
    managed = get_user_for_manager(request.user, pk)
    form = NewPasswordFields(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            set_user_password(
                actor=Actor.from_request(request), user=managed, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            messages.success(request, _("New password set for “%(username)s”.") % {"username": managed.username})
            return redirect("accounts:user_detail", pk=managed.pk)
    return render(request, "accounts/users/set_password.html", {"managed": managed, "form": form})
