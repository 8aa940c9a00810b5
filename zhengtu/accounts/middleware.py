"""Session rules for staff: a second factor is mandatory, and idle sessions expire."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "zhengtu_last_seen"

# Paths a logged-in but not yet verified staff member may reach (login, enrolment, logout,
# static files, language switch, health check). Everything else needs the second factor.
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/api/")


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            limit = settings.ZHENGTU_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - float(last_seen) > limit:
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class RequireVerifiedStaffMiddleware:
    """Staff who logged in with a password only are sent to enrol or verify their second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.ZHENGTU_REQUIRE_TWO_FACTOR
            and user.is_authenticated
            and getattr(user, "is_staff_member", False)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect("accounts:enrol")
        return self.get_response(request)
