"""Small helpers shared by the association's and the inspections' views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import can


def require_capability(user: User, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def selected_year(raw: str | None) -> int:
    if raw and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year
