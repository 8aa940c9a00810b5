"""API error responses: one shape, {"detail": "<Chinese message>"}, plus "errors" per field for bad input."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS as NON_FIELD
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; the API answers it like a serializer error.
        # This is the one place that happens: views let a service's refusal through instead of converting it.
        detail = get_error_detail(exc)
        if isinstance(detail, dict) and NON_FIELD in detail:
            detail = {("non_field_errors" if key == NON_FIELD else key): value for key, value in detail.items()}
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = error_body(response.data, is_validation=isinstance(exc, exceptions.ValidationError))
    return response


def error_body(data: Any, *, is_validation: bool) -> dict[str, Any]:
    if isinstance(data, dict) and set(data) == {"detail"}:
        return {"detail": str(data["detail"])}
    if not is_validation:
        return {"detail": first_message(data) or _("The request failed.")}
    errors = data if isinstance(data, dict) else {"non_field_errors": data}
    first = first_message(errors)
    detail = (
        _("The data sent is not valid: %(reason)s") % {"reason": first} if first else _("The data sent is not valid.")
    )
    return {"detail": detail, "errors": errors}


def first_message(data: Any) -> str:
    if isinstance(data, dict):
        for value in data.values():
            if message := first_message(value):
                return message
        return ""
    if isinstance(data, list | tuple):
        for value in data:
            if message := first_message(value):
                return message
        return ""
    return str(data) if data else ""
