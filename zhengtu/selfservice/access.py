"""Who may use the app: a logged-in supervisee account linked to a registry record, and only for that record."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.supervisees.models import Supervisee

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def supervisee_of(user: Any) -> Supervisee | None:
    """The registry record the account belongs to; None for staff and for accounts not linked to one."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active or user.role != Role.SUPERVISEE:
        return None
    return Supervisee.objects.filter(user=user).select_related("responsible_office", "responsible_officer").first()


def supervisee_required(view: View) -> View:
    """Log in through the app's login page; staff and unlinked accounts get a Chinese explanation (403).

    The view receives the person as `request.supervisee`: every read and write of the app is about them only.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect(f"{resolve_url('selfservice:login')}?{urlencode({'next': request.get_full_path()})}")
        supervisee = supervisee_of(request.user)
        if supervisee is None:
            return render(request, "selfservice/not_supervisee.html", status=403)
        request.supervisee = supervisee  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


class SuperviseeRequest(HttpRequest):
    """A request that passed supervisee_required."""

    user: User  # type: ignore[assignment]
    supervisee: Supervisee
