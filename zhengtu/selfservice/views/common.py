"""How the app's views answer: JSON for the page scripts and the outbox, a page for a plain form post."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.dateparse import parse_datetime


def refusal(error: ValidationError, *, status: int = 400) -> JsonResponse:
    """A service's ValidationError as the JSON the outbox shows: one sentence, plus the fields it names."""
    errors: dict[str, list[str]] = {}
    if hasattr(error, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return JsonResponse(
        {"ok": False, "error": " ".join(str(m) for m in error.messages), "errors": errors},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def answer(data: dict[str, Any], *, status: int = 200) -> JsonResponse:
    return JsonResponse({"ok": True, **data}, status=status, json_dumps_params={"ensure_ascii": False})


def float_field(request: HttpRequest, name: str) -> float | None:
    try:
        value = float(request.POST.get(name, ""))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None  # NaN and infinities are not numbers


def time_field(request: HttpRequest, name: str) -> dt.datetime | None:
    """An ISO time from the phone, or its milliseconds since 1970 (what the Geolocation API gives)."""
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return dt.datetime.fromtimestamp(int(raw) / 1000, tz=dt.UTC)
    try:
        parsed = parse_datetime(raw)
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed
