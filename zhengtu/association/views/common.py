"""Small helpers shared by the association's and the inspections' views (capability checks: zhengtu.core.access)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.core.access import require_capability as require_capability
from zhengtu.core.pages import Saved, save_form
from zhengtu.core.query import parse_int
from zhengtu.orgs.models import Organisation

from ..selectors import association_of

T = TypeVar("T")


def save_for_association(
    request: AuthenticatedRequest, form: forms.Form, create: Callable[[Organisation, dict[str, Any]], T]
) -> Saved[T] | None:
    """save_form for what an administrator creates in an association: the one chosen on the form, if the form
    offers a choice, else their own. Without one the form says so instead of saving."""
    association = None
    if request.method == "POST" and form.is_valid():
        association = form.cleaned_data.get("association") or association_of(request.user)
        if association is None:
            form.add_error(None, pgettext("association", "Your account does not belong to an association."))

    def save(data: dict[str, Any]) -> T:
        assert association is not None
        return create(association, {name: value for name, value in data.items() if name != "association"})

    return save_form(request, form, save)


def selected_year(raw: str | None) -> int:
    return parse_int(raw, minimum=2000, maximum=2100) or timezone.localdate().year
