"""Idempotency keys on the app's POSTs: the phone makes one key per action and sends it again on every retry.

The first request with a key reserves it, runs the action and keeps the answer; a retry with the same key (the
phone lost the answer, or replays its offline queue) gets the kept answer and the action does not run again. A
key still in progress answers 409, and the phone keeps the action queued until a later retry sees the answer.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ActionReceipt

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# A reservation older than this belongs to a request that died half-way (server restart): it may be retried.
STALE_RESERVATION = dt.timedelta(minutes=5)

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def idempotency_key(request: Any) -> str:
    return str(request.headers.get(HEADER) or request.POST.get(FORM_FIELD) or "").strip()


def idempotent(view: View) -> View:
    """Run a POST view at most once per (user, idempotency key); GETs and key-less POSTs pass straight through."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = idempotency_key(request) if request.method == "POST" else ""
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if not KEY_PATTERN.match(key):
            return JsonResponse(
                {"ok": False, "error": _("The request carries an invalid idempotency key.")}, status=400
            )
        receipt, kept = reserve(user_id=request.user.pk, key=key, path=request.path)
        if kept is not None:
            return kept
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            receipt.delete()
            raise
        complete(receipt, response)
        return response

    return wrapped  # type: ignore[return-value]


def reserve(*, user_id: int, key: str, path: str) -> tuple[ActionReceipt, HttpResponseBase | None]:
    """Reserve the key; or, when it is known, the answer to give instead of running the action."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return ActionReceipt.objects.create(user_id=user_id, key=key, path=path[:200]), None
        except IntegrityError:
            existing = ActionReceipt.objects.filter(user_id=user_id, key=key).first()
            if existing is None:
                continue
            if existing.completed:
                return existing, replay(existing)
            if existing.created_at < timezone.now() - STALE_RESERVATION:
                existing.delete()
                continue
            return existing, JsonResponse(
                {"ok": False, "pending": True, "error": _("This action is still being processed. It will be retried.")},
                status=409,
            )
    raise IntegrityError("idempotency key could not be reserved")


def complete(receipt: ActionReceipt, response: HttpResponseBase) -> None:
    """Keep a successful answer; forget the key after a refusal, so a corrected retry can run."""
    if response.status_code >= 400:
        receipt.delete()
        return
    body: dict[str, Any] = {}
    if isinstance(response, HttpResponseRedirect) or 300 <= response.status_code < 400:
        body = {"redirect": response.get("Location", "")}
    elif isinstance(response, HttpResponse) and response.get("Content-Type", "").startswith("application/json"):
        try:
            body = json.loads(response.content or b"{}")
        except ValueError:
            body = {}
    if not isinstance(body, dict):
        body = {"data": body}
    receipt.status_code = response.status_code
    receipt.body = body
    receipt.save(update_fields=["status_code", "body"])


def replay(receipt: ActionReceipt) -> HttpResponseBase:
    if 300 <= receipt.status_code < 400:
        response: HttpResponseBase = HttpResponseRedirect(str(receipt.body.get("redirect", "")))
    else:
        response = JsonResponse(receipt.body, status=receipt.status_code)
    response["Idempotent-Replay"] = "true"
    return response
