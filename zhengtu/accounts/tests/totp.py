"""Test helpers: a staff member's authenticator app, computed from the device's secret."""

from __future__ import annotations

import base64
from binascii import unhexlify

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtu.accounts.models import User


def give_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or `steps_ahead` periods of 30 s later: a fresh one after a use)."""
    code = totp(unhexlify(device.key), step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead)
    return f"{code:06d}"


def code_from_secret(base32_secret: str) -> str:
    """What a phone computes from the secret typed in from the enrolment page."""
    key = base64.b32decode(base32_secret.replace(" ", ""))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, steps_ahead=offset) for offset in (-1, 0, 1)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in right)
