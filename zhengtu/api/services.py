"""Issuing, checking and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from zhengtu.audit.counters import hit, window_start
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event

from .models import ApiToken
from .rules import last_used_resolution_seconds, token_days, token_rate

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

TOKEN_MARKER = "zt_"  # noqa: S105 (marks our tokens, e.g. for secret scanners)
PREFIX_LENGTH = 11  # the marker and 8 characters: enough to recognise a token in a list


def hash_token(raw: str) -> str:
    # The token carries 256 random bits, so a plain SHA-256 is enough: no salt, no slow hash.
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown to the client once, never stored


@transaction.atomic
def issue_token(*, actor: Actor, user: User, name: str = "") -> IssuedToken:
    raw = TOKEN_MARKER + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=hash_token(raw),
        prefix=raw[:PREFIX_LENGTH],
        created_at=now,
        expires_at=now + dt.timedelta(days=token_days()),
    )
    record_event(
        actor,
        action=Action.API_TOKEN,
        target=user,
        detail={"token": token.prefix, "expires_at": token.expires_at.isoformat()},
    )
    return IssuedToken(token=token, raw=raw)


@dataclass(frozen=True)
class TokenCheck:
    token: ApiToken | None
    failure: str = ""  # "unknown", "expired", "revoked", "inactive_user"


def check_token(raw: str) -> TokenCheck:
    """Find the usable token for a presented secret; touches last_used_at now and then."""
    token = ApiToken.objects.select_related("user", "user__organisation").filter(key_hash=hash_token(raw)).first()
    if token is None:
        return TokenCheck(None, "unknown")
    now = timezone.now()
    if token.revoked_at is not None:
        return TokenCheck(token, "revoked")
    if token.expires_at <= now:
        return TokenCheck(token, "expired")
    if not token.user.is_active:
        return TokenCheck(token, "inactive_user")
    resolution = dt.timedelta(seconds=last_used_resolution_seconds())
    if token.last_used_at is None or now - token.last_used_at >= resolution:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return TokenCheck(token)


@transaction.atomic
def revoke_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor,
            action=Action.UPDATE,
            target=token.user,
            detail={"change": "api_token_revoked", "token": token.prefix},
        )
    return token


@transaction.atomic
def revoke_all_tokens(*, actor: Actor, user: User, reason: str) -> int:
    """Revoke every live token of a user (password reset, lost device, deactivation)."""
    now = timezone.now()
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).update(revoked_at=now)
    if count:
        record_event(
            actor,
            action=Action.UPDATE,
            target=user,
            detail={"change": "api_tokens_revoked", "reason": reason, "count": count},
        )
    return count


def token_requests_wait_seconds(*, address: str | None, username: str) -> int:
    """Count this token request; how long the client must wait if it is over a limit (0: go on)."""
    window = token_rate("window_minutes") * 60
    over = False
    if address:
        over |= hit(scope="api_token:address", key=address, window_seconds=window) > token_rate("per_address")
    if username:
        over |= hit(scope="api_token:account", key=username.lower(), window_seconds=window) > token_rate("per_account")
    if not over:
        return 0
    now = timezone.now()
    return max(1, int((window_start(now, window) + dt.timedelta(seconds=window) - now).total_seconds()))
