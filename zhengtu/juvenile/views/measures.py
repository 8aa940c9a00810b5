"""Appropriate-adult roster and requests; conditional non-prosecution supervision."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability

from ..forms import (
    AdultForm,
    AdultRequestForm,
    AssignAdultForm,
    AttendanceForm,
    ConcludeForm,
    NonProsecutionForm,
    PeriodicReportForm,
)
from ..models import NonProsecutionSupervision
from ..rules import test_period_limits
from ..selectors import adult_requests_of, county_of, get_adult_request_for_user, get_case_for_user, roster_visible_to
from ..services import measures as services
from .common import form_page


def _back(case_id: int) -> str:
    return reverse("juvenile:case", args=[case_id])


@login_required
def roster(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    adults = roster_visible_to(request.user)
    requests = adult_requests_of(request.user).order_by("-questioning_at")[:50]
    return render(request, "juvenile/roster.html", {"adults": adults, "requests": requests})


@login_required
def adult_new(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    county = county_of(request.user)
    if county is None:
        raise PermissionDenied
    return form_page(
        request,
        AdultForm(request.POST or None),
        title=_("Add an appropriate adult to the roster"),
        save=lambda d: services.add_adult(actor=_actor(request), county=county, **d),
        next_url=lambda a: reverse("juvenile:roster"),
        back=reverse("juvenile:roster"),
    )


def _actor(request: AuthenticatedRequest) -> Actor:
    return Actor.from_request(request)


@login_required
def adult_request_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    return form_page(
        request,
        AdultRequestForm(request.POST or None),
        title=_("Request an appropriate adult"),
        save=lambda d: services.request_adult(actor=_actor(request), case=case, **d),
        next_url=lambda r: _back(case.pk),
        done=_("The request has been recorded."),
        back=_back(case.pk),
    )


@login_required
def adult_request_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    adult_request = get_adult_request_for_user(request.user, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    adults = roster_visible_to(request.user).filter(county=adult_request.case.county, is_active=True)
    return form_page(
        request,
        AssignAdultForm(request.POST or None, adults=adults),
        title=_("Assign an appropriate adult"),
        save=lambda d: services.assign_adult(actor=_actor(request), request=adult_request, adult=d["adult"]),
        next_url=lambda r: _back(r.case_id),
        back=_back(adult_request.case_id),
    )


@login_required
def adult_request_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    adult_request = get_adult_request_for_user(request.user, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    return form_page(
        request,
        AttendanceForm(request.POST or None),
        title=_("Record the appropriate adult's attendance"),
        save=lambda d: services.record_attendance(actor=_actor(request), request=adult_request, **d),
        next_url=lambda r: _back(r.case_id),
        back=_back(adult_request.case_id),
    )


@login_required
def non_prosecution_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    low, high = test_period_limits()
    return form_page(
        request,
        NonProsecutionForm(request.POST or None),
        title=_("Conditional non-prosecution"),
        intro=_("The test period is %(low)s to %(high)s months from the decision.") % {"low": low, "high": high},
        save=lambda d: services.start_non_prosecution(actor=_actor(request), case=case, **d),
        next_url=lambda s: _back(case.pk),
        done=_("The decision has been recorded."),
        back=_back(case.pk),
    )


def _supervision(request: AuthenticatedRequest, pk: int) -> NonProsecutionSupervision:
    case = get_case_for_user(request.user, pk)
    supervision = getattr(case, "non_prosecution", None)
    if supervision is None:
        raise Http404
    return supervision  # type: ignore[no-any-return]


@login_required
def periodic_report_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    return form_page(
        request,
        PeriodicReportForm(request.POST or None),
        title=_("Periodic report to the procuratorate"),
        save=lambda d: services.add_periodic_report(actor=_actor(request), supervision=supervision, **d),
        next_url=lambda r: _back(pk),
        done=_("The report has been sent to the procuratorate."),
        back=_back(pk),
    )


@login_required
def non_prosecution_conclude(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    return form_page(
        request,
        ConcludeForm(request.POST or None),
        title=_("End-of-period assessment"),
        save=lambda d: services.conclude_non_prosecution(actor=_actor(request), supervision=supervision, **d),
        next_url=lambda s: _back(pk),
        back=_back(pk),
    )
