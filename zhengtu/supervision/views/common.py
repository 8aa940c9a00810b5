"""Shared pieces of the supervision views: capability checks and the acting user (downloads: core.downloads)."""

from __future__ import annotations

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import Actor
from zhengtu.core.access import capability_required

# The old name, kept for code written against it on other branches: downloads are core.downloads'.
from zhengtu.core.downloads import download_response as file_response

__all__ = ["actor_of", "capability_required", "file_response"]


def actor_of(request: AuthenticatedRequest) -> Actor:
    return Actor.from_request(request)
