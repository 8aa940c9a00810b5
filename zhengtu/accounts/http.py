"""Typing helpers for views behind login: `request.user` is then a real User."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
