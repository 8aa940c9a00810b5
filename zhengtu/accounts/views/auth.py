"""Login (password + TOTP), enrolment of the second factor, logout, lockout page, passwords."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from axes.helpers import get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login

from zhengtu.api.selectors import get_token_for_user, tokens_of
from zhengtu.api.services import revoke_token
from zhengtu.audit.services import Actor

from ..forms import LoginForm, OneTimeCodeForm, PasswordChangeForm
from ..http import AuthenticatedRequest
from ..lockout import lockout_rule
from ..login import (
    LoginCheck,
    LoginFailure,
    check_login,
    has_confirmed_device,
    lockout_minutes_remaining,
    login_failure_message,
    needs_second_factor,
    record_second_factor_failure,
    verify_one_time_code,
)
from ..middleware import IDLE_LOGOUT_KEY, LAST_SEEN_KEY, now_timestamp
from ..services import change_own_password, confirm_totp_enrolment, start_totp_enrolment

API_PREFIX = "/api/"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.session.pop(IDLE_LOGOUT_KEY, False):
        messages.info(request, _("You were logged out after a period of inactivity. Please log in again."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        check = check_login(request, username=data["username"], password=data["password"], otp_token=data["otp_token"])
        if check.failure == LoginFailure.LOCKED_OUT:
            return lockout_response(request, credentials={"username": data["username"]})
        if check.failure == LoginFailure.ACCOUNT_LOCKED:
            return _account_locked_response(request, check)
        if check.failure is not None:
            form.add_error(None, login_failure_message(check))
        else:
            return _complete_login(request, check)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def _complete_login(request: HttpRequest, check: LoginCheck) -> HttpResponse:
    user = check.user
    assert user is not None
    if check.device is not None:
        # django-otp's user_logged_in receiver stores this device in the new session: verified.
        user.otp_device = check.device  # type: ignore[attr-defined]
    django_login(request, user)
    request.session[LAST_SEEN_KEY] = now_timestamp()
    if check.needs_enrolment:
        messages.info(request, _("Staff log in with a second factor. Set up your authenticator app now."))
        return redirect(f"{resolve_url('accounts:enrol')}?next={_next_url(request)}")
    return redirect(_next_url(request))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    django_logout(request)
    messages.info(request, _("You have logged out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def enrol(request: AuthenticatedRequest) -> HttpResponse:
    """Set up the authenticator app (staff without a device), or confirm an existing one."""
    user = request.user
    if user.is_verified() or not needs_second_factor(user):  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    form = OneTimeCodeForm(request.POST or None)
    if has_confirmed_device(user):
        return _verify_existing_device(request, form)
    device = start_totp_enrolment(user=user)
    if request.method == "POST" and form.is_valid():
        if confirm_totp_enrolment(request=request, device=device, token=form.cleaned_data["otp_token"]):
            messages.success(request, _("Two-factor login is set up. Use the app's code every time you log in."))
            return redirect(_next_url(request))
        form.add_error("otp_token", _("The one-time code is wrong or has expired."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "otpauth_uri": device.config_url,
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": request.GET.get("next", ""),
        },
    )


def _verify_existing_device(request: AuthenticatedRequest, form: OneTimeCodeForm) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        device, retry_at = verify_one_time_code(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        reason = LoginFailure.THROTTLED if retry_at else LoginFailure.BAD_TOKEN
        record_second_factor_failure(request, request.user, reason)
        if getattr(request, "axes_locked_out", False):
            username = request.user.get_username()
            django_logout(request)
            return lockout_response(request, credentials={"username": username})
        form.add_error("otp_token", login_failure_message(LoginCheck(failure=reason, retry_at=retry_at)))
    return render(request, "accounts/verify.html", {"form": form, "next": request.GET.get("next", "")})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None, *args: Any
) -> HttpResponse:
    """Answer for a locked-out username + address (django-axes AXES_LOCKOUT_CALLABLE): status 429."""
    username = ""
    if isinstance(credentials, dict):
        username = str(credentials.get("username") or "")
    username = username or request.POST.get("username", "")
    minutes = lockout_minutes_remaining(request, username)
    message = login_failure_message(LoginCheck(failure=LoginFailure.LOCKED_OUT), minutes=minutes)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    context = {"message": message, "minutes": minutes, "failure_limit": get_failure_limit(request, credentials)}
    return render(request, "accounts/lockout.html", context, status=429)


def _account_locked_response(request: HttpRequest, check: LoginCheck) -> HttpResponse:
    context = {"message": login_failure_message(check), "failure_limit": lockout_rule("failures")}
    return render(request, "accounts/lockout.html", context, status=429)


def password_policy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/password_policy.html",
        {
            "rules": password_validators_help_texts(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(float(settings.AXES_COOLOFF_TIME) * 60),
            "idle_minutes": settings.ZHENGTU_IDLE_TIMEOUT_MINUTES,
            "account_failure_limit": lockout_rule("failures"),
            "account_window_minutes": lockout_rule("window_minutes"),
            "account_lock_minutes": lockout_rule("lock_minutes"),
        },
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_own_password(request=request, user=request.user, new_password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    devices = list(devices_for_user(request.user, confirmed=True))
    return render(
        request,
        "accounts/account.html",
        {
            "devices": devices,
            "tokens": tokens_of(request.user)[:50],
            "two_factor_required": needs_second_factor(request.user),
        },
    )


@require_POST
@login_required
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(request.user, pk)
    revoke_token(actor=Actor.from_request(request), token=token)
    messages.success(request, _("API token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("accounts:account")
