"""Who may use the app: a logged-in supervisee account linked to a registry record, and only for that record,
from a browser that is recorded (and, when new, confirmed by a face check)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import is_supervisee
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Supervisee

from .models import AppDevice

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def supervisee_of(user: Any) -> Supervisee | None:
    """The registry record the account belongs to; None for staff and for accounts not linked to one."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active or not is_supervisee(user):
        return None
    return Supervisee.objects.filter(user=user).select_related("responsible_office", "responsible_officer").first()


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.path.startswith("/api/")


def needs_device_check(supervisee: Supervisee, device: AppDevice) -> bool:
    """A browser not yet confirmed by a face check must pass one, when there is a registry photo to compare with."""
    return not device.confirmed and bool(supervisee.photo)


def supervisee_required(view: View | None = None, *, device_check: bool = True) -> Any:
    """Log in through the app's login page; staff and unlinked accounts get a Chinese explanation (403).

    The view receives the person as `request.supervisee` and this browser's record as `request.app_device`.
    Unless `device_check=False`, a browser not yet confirmed is sent to the face check first.
    """

    def decorator(inner: View) -> View:
        @wraps(inner)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            from .services.devices import COOKIE, COOKIE_MAX_AGE, new_device_token, see_device

            if not request.user.is_authenticated:
                if wants_json(request):
                    return JsonResponse({"ok": False, "error": _("Log in again.")}, status=401)
                return redirect(f"{resolve_url('selfservice:login')}?{urlencode({'next': request.get_full_path()})}")
            supervisee = supervisee_of(request.user)
            if supervisee is None:
                return render(request, "selfservice/not_supervisee.html", status=403)
            token = request.COOKIES.get(COOKIE, "")
            new_token = not token
            if new_token:
                token = new_device_token()
            device = see_device(
                actor=Actor.from_request(request),
                supervisee=supervisee,
                token=token,
                label=request.headers.get("User-Agent", ""),
            )
            request.supervisee = supervisee  # type: ignore[attr-defined]
            request.app_device = device  # type: ignore[attr-defined]
            if device_check and needs_device_check(supervisee, device):
                if wants_json(request):
                    response: HttpResponseBase = JsonResponse(
                        {"ok": False, "error": _("Confirm this phone with a face check first.")}, status=403
                    )
                else:
                    response = redirect(
                        f"{resolve_url('selfservice:device_verify')}?{urlencode({'next': request.get_full_path()})}"
                    )
            else:
                response = inner(request, *args, **kwargs)
            if new_token:
                response.set_cookie(
                    COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
                )
            return response

        return wrapped  # type: ignore[return-value]

    if view is not None:
        return decorator(view)
    return decorator


class SuperviseeRequest(HttpRequest):
    """A request that passed supervisee_required."""

    user: User  # type: ignore[assignment]
    supervisee: Supervisee
    app_device: AppDevice
