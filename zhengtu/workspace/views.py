from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Role

from .registry import task_providers
from .services import mark_read


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Supervisees use their own phone app (zhengtu/selfservice), not the staff workspace.
    if getattr(request.user, "role", "") == Role.SUPERVISEE:
        return redirect("selfservice:home")
    return render(request, "workspace/home.html", {})


@login_required
def tasks(request: AuthenticatedRequest) -> HttpResponse:
    items: list[Any] = []
    for provider in task_providers():
        items.extend(provider(request.user))
    items.sort(key=lambda t: (not t.overdue, t.due or dt.date.max))
    return render(request, "workspace/tasks.html", {"tasks": items})


@login_required
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    entries = request.user.notifications.all()[:100]
    return render(request, "workspace/notifications.html", {"notifications": entries})


@login_required
@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    mark_read(user=request.user, notification_ids=ids)
    return redirect("workspace:notifications")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
