"""Signed tokens behind the training QR code and the attendee's questionnaire link.

The door QR code carries a token naming the training and an HMAC (under SECRET_KEY) of its id and its current
`sign_in_key`; rotating the key (services.trainings.rotate_sign_in_key) invalidates codes already printed or
shared. After signing in, an
attendee gets a second token naming their registration, which opens the satisfaction questionnaire: guests
have no account, so this token is their only credential and is bound to the same key.
"""

from __future__ import annotations

import base64
import datetime as dt
import io

import qrcode
import qrcode.image.svg
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Training, TrainingRegistration
from .rules import rule

SIGN_IN_SALT = "zhengtu.association.training-sign-in"
QUESTIONNAIRE_SALT = "zhengtu.association.training-questionnaire"


def _mac(salt: str, key: str, pk: int) -> str:
    # 128 bits of HMAC-SHA256 are plenty and keep the URL, hence the QR code, small enough to scan easily.
    digest = salted_hmac(f"{salt}:{key}", str(pk), algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _split(token: str) -> tuple[int, str]:
    pk, _, mac = token.partition("-")
    if not pk.isdigit() or not mac:
        raise Http404
    return int(pk), mac


def sign_in_token(training: Training) -> str:
    return f"{training.pk}-{_mac(SIGN_IN_SALT, training.sign_in_key, training.pk)}"


def training_for_sign_in_token(token: str) -> Training:
    """The training a door token names; 404 for forged, mangled or replaced tokens and cancelled trainings."""
    pk, mac = _split(token)
    training = Training.objects.select_related("association").filter(pk=pk).first()
    if training is None or training.is_cancelled:
        raise Http404
    if not constant_time_compare(mac, _mac(SIGN_IN_SALT, training.sign_in_key, training.pk)):
        raise Http404
    return training


def questionnaire_token(registration: TrainingRegistration) -> str:
    key = registration.training.sign_in_key
    return f"{registration.pk}-{_mac(QUESTIONNAIRE_SALT, key, registration.pk)}"


def registration_for_questionnaire_token(token: str) -> TrainingRegistration:
    pk, mac = _split(token)
    registration = (
        TrainingRegistration.objects.select_related("training", "training__association").filter(pk=pk).first()
    )
    if registration is None:
        raise Http404
    if not constant_time_compare(mac, _mac(QUESTIONNAIRE_SALT, registration.training.sign_in_key, registration.pk)):
        raise Http404
    return registration


def sign_in_window(training: Training) -> tuple[dt.datetime, dt.datetime]:
    opens = training.starts_at - dt.timedelta(minutes=int(rule("training_sign_in_opens_minutes_before")))
    closes = training.ends_at + dt.timedelta(minutes=int(rule("training_sign_in_closes_minutes_after")))
    return opens, closes


def sign_in_is_open(training: Training, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    opens, closes = sign_in_window(training)
    return not training.is_cancelled and opens <= now <= closes


def qr_code_svg(url: str) -> str:
    """The URL as an inline SVG QR code (no image files, works offline and prints sharply)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    # Drop the XML declaration so the SVG can sit inside HTML.
    return svg[svg.index("<svg") :]
