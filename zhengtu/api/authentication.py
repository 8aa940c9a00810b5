"""How API clients prove who they are: a Bearer token, or a browser session that passed two-factor login."""

from __future__ import annotations

from typing import NoReturn

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from zhengtu.accounts.login import needs_second_factor
from zhengtu.accounts.models import User
from zhengtu.audit.anonymous import record_unidentified_failure
from zhengtu.audit.services import Actor, client_ip

from .models import ApiToken
from .services import check_token

BEARER_KEYWORD = b"bearer"


def _always_verified() -> bool:
    return True


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` with a token from POST /api/v1/auth/token/ (obtained with TOTP)."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != BEARER_KEYWORD:
            return None
        if len(parts) != 2:
            self._fail(request, None, "malformed")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            self._fail(request, None, "malformed")
        check = check_token(raw)
        if check.token is None or check.failure:
            self._fail(request, check.token, check.failure)
        assert check.token is not None
        user = check.token.user
        # The token was obtained with the second factor: code that asks `is_verified()` gets yes.
        user.is_verified = _always_verified  # type: ignore[attr-defined]
        return user, check.token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'

    def _fail(self, request: Request, token: ApiToken | None, reason: str) -> NoReturn:
        # Anyone can send a bearer header: counted per address, recorded one by one only up to a bound.
        record_unidentified_failure(
            Actor(user=token.user if token else None, ip_address=client_ip(request)),
            kind="bearer",
            detail={"method": "bearer", "reason": reason, "token": token.prefix if token else ""},
        )
        raise AuthenticationFailed(_("The API token is invalid, expired or revoked. Obtain a new one."))


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session (CSRF enforced), accepted for staff only after the two-factor login."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        verified = getattr(user, "is_verified", None)
        if needs_second_factor(user) and not (callable(verified) and verified()):
            raise AuthenticationFailed(_("Finish the two-factor login in the browser first."))
        return user, None
