"""The association's home page: the year's figures at a glance and what waits for a decision."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability

from ..models import FilingStatus, MembershipStatus
from ..rules import rule
from ..selectors import (
    filings_managed_by,
    membership_counts,
    memberships_managed_by,
    trainings_managed_by,
    year_figures,
)
from .common import require_capability, selected_year


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ASSOCIATION)
    year = selected_year(request.GET.get("year"))
    today = timezone.localdate()
    filings = filings_managed_by(request.user)
    trainings = trainings_managed_by(request.user)
    context = {
        "year": year,
        "years": range(today.year + 1, today.year - 6, -1),
        "figures": year_figures(trainings, year),
        "members": membership_counts(memberships_managed_by(request.user)),
        "applications": memberships_managed_by(request.user).filter(status=MembershipStatus.APPLIED)[:10],
        "pending_filings": filings.filter(status=FilingStatus.SUBMITTED)[:10],
        "filed": filings.filter(status=FilingStatus.APPROVED, valid_from__lte=today, valid_until__gte=today).count(),
        "upcoming": trainings.filter(starts_at__gte=timezone.now(), is_cancelled=False).order_by("starts_at")[:5],
        "method": rule("training_satisfaction_method"),
        "satisfied_min": rule("training_satisfied_min_score"),
    }
    return render(request, "association/dashboard.html", context)
