"""Session rules for staff: a second factor is mandatory, and idle sessions expire."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import urlencode

LAST_SEEN_KEY = "zhengtu_last_seen"
# Set in the fresh session after an idle logout so the login page can say why.
IDLE_LOGOUT_KEY = "zhengtu_idle_logout"
# The last-seen time is rewritten at most this often, so that not every request saves the session
# (a study page's heartbeat comes every 15 s: at 60 s only one in four writes the session).
LAST_SEEN_RESOLUTION_SECONDS = 60

# Logout reason read by the audit receiver (accounts.signals).
LOGOUT_REASON_ATTRIBUTE = "zhengtu_logout_reason"

API_PREFIX = "/api/"


def now_timestamp() -> float:
    return time.time()


def idle_limit_seconds() -> int:
    return int(getattr(settings, "ZHENGTU_IDLE_TIMEOUT_MINUTES", 30)) * 60


class IdleTimeoutMiddleware:
    """Log out a session that has been idle longer than settings.ZHENGTU_IDLE_TIMEOUT_MINUTES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if hasattr(request, "session") and request.user.is_authenticated:
            now = now_timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - float(last_seen) > idle_limit_seconds():
                setattr(request, LOGOUT_REASON_ATTRIBUTE, "idle_timeout")
                logout(request)
                request.session[IDLE_LOGOUT_KEY] = True
                if request.path.startswith(API_PREFIX):
                    # The API answers for itself (401, in its JSON shape) once the session is gone.
                    return self.get_response(request)
                return _to_login(request)
            if last_seen is None or now - float(last_seen) >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class RequireVerifiedStaffMiddleware:
    """Staff who logged in with a password only are sent to enrol or verify their second factor.

    Only the pages needed to get there stay open: login, enrolment, logout, the password policy,
    static files, the language switch and the health check. The API checks verification itself
    (zhengtu.api.authentication.VerifiedSessionAuthentication).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def open_paths(self) -> tuple[str, ...]:
        if self._open_paths is None:
            names = ("accounts:login", "accounts:logout", "accounts:enrol", "accounts:password_policy")
            self._open_paths = (
                *(resolve_url(name) for name in names),
                settings.STATIC_URL,
                "/i18n/",
                "/healthz",
                API_PREFIX,
            )
        return self._open_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.ZHENGTU_REQUIRE_TWO_FACTOR
            and user.is_authenticated
            and getattr(user, "is_staff_member", False)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(self.open_paths())
        ):
            target = f"{resolve_url('accounts:enrol')}?{urlencode({'next': request.get_full_path()})}"
            return _redirect(request, target)
        return self.get_response(request)


def _to_login(request: HttpRequest) -> HttpResponse:
    if _is_htmx(request):
        return _redirect(request, resolve_url(settings.LOGIN_URL))
    return redirect_to_login(request.get_full_path())


def _is_htmx(request: HttpRequest) -> bool:
    # django-htmx's middleware runs after this one: read the header directly.
    return request.headers.get("HX-Request") == "true"


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for HTMX requests (which would otherwise swap the page into a fragment)."""
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
