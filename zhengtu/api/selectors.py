"""Reads of API tokens: a user sees only their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def get_token_for_user(user: User, pk: object) -> ApiToken:
    try:
        return tokens_of(user).get(pk=int(str(pk)))
    except (ApiToken.DoesNotExist, ValueError) as error:
        raise Http404 from error
