"""The role's dashboard on a page of its own (the workspace home shows the same through its hook)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengtu.accounts.http import AuthenticatedRequest

from ..dashboards import dashboard_for
from ..rules import rule


@require_GET
@login_required
def dashboard_page(request: AuthenticatedRequest) -> HttpResponse:
    dashboard = dashboard_for(request.user)
    if dashboard is None:
        raise Http404
    return render(
        request, "command/dashboard.html", {"dashboard": dashboard, "cache_seconds": rule("DASHBOARD_CACHE_SECONDS")}
    )
