from __future__ import annotations

import json
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.core.access import require_capability

from .forms import AuditFilterForm
from .selectors import audit_entries_visible_to, filter_audit_entries, get_audit_entry_for_user

PAGE_SIZE = 50


@login_required
def entry_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_AUDIT)
    form = AuditFilterForm(request.GET)
    entries = filter_audit_entries(audit_entries_visible_to(request.user), **form.valid_filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "entries": [(entry, object_type_label(entry.object_type)) for entry in page.object_list],
            "query": query,
        },
    )


@login_required
def entry_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_AUDIT)
    entry = get_audit_entry_for_user(request.user, pk)
    detail = json.dumps(entry.detail, ensure_ascii=False, indent=2, sort_keys=True)
    return render(
        request,
        "audit/entry_detail.html",
        {"entry": entry, "detail": detail, "object_type_label": object_type_label(entry.object_type)},
    )


def object_type_label(label: str) -> str:
    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        pass
    # Not a model ("juvenile.oversight", "supervisees.export"): the business it belongs to, in Chinese.
    try:
        return str(apps.get_app_config(label.partition(".")[0]).verbose_name)
    except LookupError:
        return label
