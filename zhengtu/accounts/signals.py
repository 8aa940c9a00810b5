"""Audit of authentication events (wired in AccountsConfig.ready).

Every login, failed login (with the username tried), lockout and logout is written to the audit
log. A failed login names the account when the username exists, so that the bureau managing
that account sees the attempts on its audit page.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from zhengtu.audit.anonymous import record_unidentified_failure
from zhengtu.audit.models import Action, Outcome
from zhengtu.audit.services import Actor, client_ip, record_event

from .lockout import register_failed_login
from .login import FAILURE_REASON_ATTRIBUTE, LOCKED_REASONS
from .middleware import LOGOUT_REASON_ATTRIBUTE
from .models import User

USERNAME_FIELD = "username"


def _http_request(request: Any) -> HttpRequest | None:
    """The Django request behind a DRF request, or the request itself."""
    return getattr(request, "_request", request) if request is not None else None


def _ip(request: Any) -> str | None:
    http_request = _http_request(request)
    return client_ip(http_request) if http_request is not None and hasattr(http_request, "META") else None


def _known_user(username: str) -> User | None:
    if not username:
        return None
    return User.objects.select_related("organisation").filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="zhengtu_audit_login")
def audit_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    detail = {"second_factor": "totp" if getattr(user, "otp_device", None) is not None else "none"}
    record_event(Actor(user=user, ip_address=_ip(request)), action=Action.LOGIN, target=user, detail=detail)


@receiver(user_logged_out, dispatch_uid="zhengtu_audit_logout")
def audit_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(_http_request(request), LOGOUT_REASON_ATTRIBUTE, "user")
    record_event(
        Actor(user=user, ip_address=_ip(request)), action=Action.LOGOUT, target=user, detail={"reason": reason}
    )


@receiver(user_login_failed, dispatch_uid="zhengtu_audit_login_failed")
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get(USERNAME_FIELD) or "")[:150]
    http_request = _http_request(request)
    reason = getattr(http_request, FAILURE_REASON_ATTRIBUTE, "") or "password"
    if getattr(http_request, "axes_locked_out", False) and reason == "password":
        reason = "locked_out"
    user = _known_user(username)
    if user is not None:
        register_failed_login(user)
    actor = Actor(user=user, ip_address=_ip(request), username=username)
    detail = {"username_tried": username, "reason": reason, "path": getattr(http_request, "path", "")}
    if user is None or reason in LOCKED_REASONS:
        # Unknown names and attempts on a locked account can be sent without end: bounded records.
        kind = "login_unknown_user" if user is None else "login_locked"
        record_unidentified_failure(actor, kind=kind, target=user, detail=detail)
        return
    record_event(actor, action=Action.LOGIN_FAILED, target=user, outcome=Outcome.FAILURE, detail=detail)


@receiver(user_locked_out, dispatch_uid="zhengtu_audit_lockout")
def audit_lockout(sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    name = str(username or "")[:150]
    user = _known_user(name)
    record_unidentified_failure(
        Actor(user=user, ip_address=_ip(request) or ip_address, username=name),
        kind="login_locked_out",
        action=Action.LOGIN_LOCKED,
        target=user,
        outcome=Outcome.DENIED,
        detail={"username_tried": name},
    )
