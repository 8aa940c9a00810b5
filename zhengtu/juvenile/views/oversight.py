"""The procuratorate's legal supervision of community corrections: read-only files of its county, every view
audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.access import require_capability
from zhengtu.supervision.models import CheckIn

from ..selectors import get_overseen_supervisee, procuratorate_county, supervisees_overseen_by


@login_required
def oversight(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.OVERSEE_SUPERVISION)
    q = request.GET.get("q", "").strip()
    people = supervisees_overseen_by(request.user).order_by("responsible_office__name", "name")
    if q:
        people = people.filter(name__contains=q)
    record_event(
        request, action=Action.VIEW, object_type="juvenile.oversight", object_label=gettext("supervision list")
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request, "juvenile/oversight.html", {"page": page, "q": q, "county": procuratorate_county(request.user)}
    )


@login_required
def oversight_file(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.OVERSEE_SUPERVISION)
    supervisee = get_overseen_supervisee(request.user, pk)
    record_event(request, action=Action.VIEW, target=supervisee, detail={"as": "procuratorate_oversight"})
    check_ins = CheckIn.objects.filter(supervisee=supervisee).order_by("-id")[:20]
    return render(request, "juvenile/oversight_file.html", {"supervisee": supervisee, "check_ins": check_ins})
