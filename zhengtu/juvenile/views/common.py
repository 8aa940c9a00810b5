"""What the juvenile pages share: capability checks and the one form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.core.access import require_capability as require  # noqa: F401  the old name, for code on other branches
from zhengtu.core.pages import save_form


def form_page(
    request: AuthenticatedRequest,
    form: forms.BaseForm,
    *,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    next_url: Callable[[Any], str],
    done: str = "",
    back: str = "",
    intro: str = "",
) -> HttpResponse:
    """Show a form; on a valid POST call the service and go on; its refusal is shown on the form."""
    saved = save_form(request, form, save)
    if saved is not None:
        if done:
            messages.success(request, done)
        return redirect(next_url(saved.result))
    return render(request, "juvenile/form.html", {"form": form, "title": title, "back": back, "intro": intro})
