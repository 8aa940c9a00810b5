"""Reads of API tokens: a user sees only their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from zhengtu.core.lookups import get_or_404

from .models import ApiToken

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def get_token_for_user(user: User, pk: object) -> ApiToken:
    return get_or_404(tokens_of(user), pk)
