"""Login (password + TOTP), enrolment, logout. PLACEHOLDER: to be completed (helper A)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("账户已锁定", status=429)
