from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import is_supervisee
from zhengtu.core.lookups import get_or_404
from zhengtu.core.query import int_list

from .models import Job
from .registry import home_dashboards, task_providers
from .services import mark_read


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Supervisees use their own phone app (zhengtu/selfservice), not the staff workspace.
    if is_supervisee(request.user):
        return redirect("selfservice:home")
    dashboard = None
    for provider in home_dashboards():
        dashboard = provider(request)
        if dashboard:
            break
    return render(request, "workspace/home.html", {"dashboard": dashboard})


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
    ids = int_list(request.POST.getlist("id"))
    mark_read(user=request.user, notification_ids=ids)
    return redirect("workspace:notifications")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def job(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A background job's progress, for its owner only; the page polls itself (htmx) until the job ends."""
    entry = get_or_404(Job.objects.filter(owner=request.user), pk)
    template = "workspace/job_status.html" if request.headers.get("HX-Request") else "workspace/job.html"
    return render(request, template, {"job": entry})
