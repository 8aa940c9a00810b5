"""How a page calls a service: the service decides; its refusal is shown on the form, or as a message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

T = TypeVar("T")


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it, else above it.

    `aliases` maps a model field the service names to the form field that edits it (e.g. "file" -> "upload")."""
    if hasattr(error, "error_dict"):
        for named, messages in error.message_dict.items():
            field = (aliases or {}).get(named, named)
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What the service returned (which may itself be None)."""

    result: T


def save_form(request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], T]) -> Saved[T] | None:
    """On a POST with a valid form, call `save(form.cleaned_data)`.

    None when nothing was saved: a GET, invalid input, or a ValidationError from the service, which is then on the
    form so the page shows it again with what the clerk typed.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return Saved(save(form.cleaned_data))
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def run_action(request: HttpRequest, action: Callable[[], object], *, done: str = "") -> bool:
    """Do what a button posted (no form to show again): the service's refusal becomes an error message for the
    next page, success the `done` message. True when it worked."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    if done:
        messages.success(request, done)
    return True


def run_form_action(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], object],
    *,
    invalid: str,
    done: str = "",
) -> bool:
    """run_action for a button that posts a small form (a choice, a reason): invalid input becomes the `invalid`
    message instead."""
    if not form.is_valid():
        messages.error(request, invalid)
        return False
    return run_action(request, lambda: action(form.cleaned_data), done=done)
