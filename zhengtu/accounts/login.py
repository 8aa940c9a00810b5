"""Checking who is logging in: password, then the second factor for staff.

Shared by the login page and the API token endpoint, so that both count failures toward the
same lockout (django-axes) and write the same audit entries (accounts/signals.py).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import devices_for_user
from django_otp.models import Device, VerifyNotAllowed

from .lockout import clear_failed_logins, locked_until
from .models import User

# Set on the request when a login fails after the password was accepted, so the audit entry
# (accounts.signals) can say why.
FAILURE_REASON_ATTRIBUTE = "zhengtu_login_failure_reason"


class LoginFailure(enum.StrEnum):
    BAD_CREDENTIALS = "bad_credentials"
    MISSING_TOKEN = "otp_missing"  # noqa: S105 (a reason code, not a secret)
    BAD_TOKEN = "otp_invalid"  # noqa: S105
    THROTTLED = "otp_throttled"
    LOCKED_OUT = "locked_out"  # this username from this address (django-axes)
    ACCOUNT_LOCKED = "account_locked"  # this account from anywhere (lockout.py)


# Refusals of an attempt that was never checked: recorded in bounded form (accounts.signals).
LOCKED_REASONS = frozenset({str(LoginFailure.LOCKED_OUT), str(LoginFailure.ACCOUNT_LOCKED)})


@dataclass(frozen=True)
class LoginCheck:
    user: User | None = None
    device: Device | None = None
    failure: LoginFailure | None = None
    retry_at: dt.datetime | None = None  # when the device accepts codes again (after THROTTLED)

    @property
    def succeeded(self) -> bool:
        return self.user is not None and self.failure is None

    @property
    def needs_enrolment(self) -> bool:
        """Password accepted, but this staff member has no second factor yet."""
        return self.succeeded and self.device is None and self.user is not None and needs_second_factor(self.user)


def needs_second_factor(user: User) -> bool:
    return bool(settings.ZHENGTU_REQUIRE_TWO_FACTOR) and user.is_staff_member


def has_confirmed_device(user: User) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def check_login(request: HttpRequest, *, username: str, password: str, otp_token: str) -> LoginCheck:
    """Check a username, password and (for staff with a device) a one-time code. Logs nobody in."""
    if (until := locked_until(username)) is not None:
        # Refused before the password is even looked at: a locked account answers nothing.
        setattr(request, FAILURE_REASON_ATTRIBUTE, str(LoginFailure.ACCOUNT_LOCKED))
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
        return LoginCheck(failure=LoginFailure.ACCOUNT_LOCKED, retry_at=until)
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        return LoginCheck(failure=LoginFailure.LOCKED_OUT)
    if user is None:
        if (until := locked_until(username)) is not None:  # this very failure locked it
            return LoginCheck(failure=LoginFailure.ACCOUNT_LOCKED, retry_at=until)
        return LoginCheck(failure=LoginFailure.BAD_CREDENTIALS)
    assert isinstance(user, User)
    if not needs_second_factor(user) or not has_confirmed_device(user):
        clear_failed_logins(user)
        return LoginCheck(user=user)
    token = otp_token.strip().replace(" ", "")
    if not token:
        return _second_factor_failed(request, user, LoginFailure.MISSING_TOKEN)
    device, retry_at = verify_one_time_code(user, token)
    if device is None:
        reason = LoginFailure.THROTTLED if retry_at else LoginFailure.BAD_TOKEN
        return _second_factor_failed(request, user, reason, retry_at)
    clear_failed_logins(user)
    return LoginCheck(user=user, device=device)


def verify_one_time_code(user: User, token: str) -> tuple[Device | None, dt.datetime | None]:
    """The confirmed device that accepts `token`, or None and, if throttled, when to retry."""
    retry_at: dt.datetime | None = None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            allowed, details = device.verify_is_allowed()
            if not allowed:
                if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                    locked_until = details.get("locked_until")
                    if locked_until is not None:
                        retry_at = max(retry_at or locked_until, locked_until)
                continue
            if device.verify_token(token):
                return device, None
    return None, retry_at


def record_second_factor_failure(request: HttpRequest, user: User, reason: LoginFailure) -> None:
    """Count a failed second factor like a wrong password: toward the lockout and in the audit log."""
    setattr(request, FAILURE_REASON_ATTRIBUTE, str(reason))
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def _second_factor_failed(
    request: HttpRequest, user: User, reason: LoginFailure, retry_at: dt.datetime | None = None
) -> LoginCheck:
    record_second_factor_failure(request, user, reason)
    if getattr(request, "axes_locked_out", False):
        return LoginCheck(failure=LoginFailure.LOCKED_OUT)
    if (until := locked_until(user.get_username())) is not None:
        return LoginCheck(failure=LoginFailure.ACCOUNT_LOCKED, retry_at=until)
    return LoginCheck(failure=reason, retry_at=retry_at)


def seconds_until(moment: dt.datetime | None) -> int:
    if moment is None:
        return 0
    return max(int((moment - timezone.now()).total_seconds()) + 1, 1)


def lockout_seconds_remaining(request: HttpRequest, username: str) -> int:
    """How long until the username + address pair may try again (0 if unknown)."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return 0
    attempts: Any = AccessAttempt.objects.filter(ip_address=get_client_ip_address(request))
    if username:
        attempts = attempts.filter(username=username)
    latest = attempts.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    if latest is None:
        return int(cool_off.total_seconds())
    return seconds_until(latest + cool_off)


def login_failure_message(check: LoginCheck, *, minutes: int = 0) -> str:
    """What the person at the login form (or the API client) is told, in their language."""
    if check.failure == LoginFailure.LOCKED_OUT:
        return ngettext(
            "Too many failed attempts: this account is locked for %(minutes)d minute from this address.",
            "Too many failed attempts: this account is locked for %(minutes)d minutes from this address.",
            minutes,
        ) % {"minutes": minutes}
    if check.failure == LoginFailure.ACCOUNT_LOCKED:
        minutes = max(1, -(-seconds_until(check.retry_at) // 60))
        return ngettext(
            "Too many failed attempts on this account: it is locked for %(minutes)d minute. "
            "Your administrator can unlock it.",
            "Too many failed attempts on this account: it is locked for %(minutes)d minutes. "
            "Your administrator can unlock it.",
            minutes,
        ) % {"minutes": minutes}
    if check.failure == LoginFailure.MISSING_TOKEN:
        return _("Enter the 6-digit one-time code from your authenticator app.")
    if check.failure == LoginFailure.BAD_TOKEN:
        return _("The one-time code is wrong or has expired.")
    if check.failure == LoginFailure.THROTTLED:
        seconds = seconds_until(check.retry_at)
        return ngettext(
            "Too many wrong codes: wait %(seconds)d second and try again.",
            "Too many wrong codes: wait %(seconds)d seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    return _("Wrong username or password.")


def lockout_minutes_remaining(request: HttpRequest, username: str) -> int:
    return max(1, -(-lockout_seconds_remaining(request, username) // 60))
