"""Shared pieces of the supervision views: capability checks, the acting user, file responses."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import Actor
from zhengtu.core.access import capability_required

__all__ = ["actor_of", "capability_required", "file_response"]


def actor_of(request: AuthenticatedRequest) -> Actor:
    return Actor.from_request(request)


def file_response(content: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
