"""Figures and bulk work: report deadlines per month, overrides and their rate, paper imports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_rule
from zhengtu.core.downloads import download_response
from zhengtu.core.pages import add_service_errors
from zhengtu.core.query import int_param

from ..forms import PaperImportForm, PeriodForm
from ..models import PaperImport
from ..permissions import can_assess, can_view_figures, can_view_results
from ..rules import report_working_days
from ..selectors import (
    get_instrument_for_user,
    override_rates,
    overrides_awaiting,
    report_deadline_figures,
    reports_due,
    usable_instruments,
)
from ..services.paper_import import import_paper_questionnaires, template_workbook
from .instruments import XLSX


@login_required
def deadlines(request: AuthenticatedRequest) -> HttpResponse:
    """Per month: questionnaires received, reports issued on time or late, due today, overdue."""
    require_rule(request.user, can_view_figures)
    today = timezone.localdate()
    year = int_param(request.GET, "year", minimum=2000, maximum=2100) or today.year
    figures = report_deadline_figures(request.user, year=year, today=today)
    totals = {
        name: sum(getattr(month, name) for month in figures)
        for name in (
            "received",
            "issued",
            "issued_on_time",
            "issued_late",
            "due_today",
            "overdue",
            "pending",
            "approximate",
        )
    }
    open_reports = reports_due(request.user).filter(due_on__lte=today)[:100] if can_view_results(request.user) else []
    return render(
        request,
        "assessment/deadlines.html",
        {
            "year": year,
            "years": range(today.year - 4, today.year + 2),
            "figures": figures,
            "totals": totals,
            "working_days": report_working_days(),
            "open_reports": open_reports,
            "today": today,
        },
    )


@login_required
def overrides(request: AuthenticatedRequest) -> HttpResponse:
    """Changes of level waiting for this user's approval, and the override rate per assessor."""
    require_rule(request.user, can_view_figures)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    since = dt.date(today.year, 1, 1)
    until = today
    if form.is_valid():
        since = form.cleaned_data.get("since") or since
        until = form.cleaned_data.get("until") or until
    return render(
        request,
        "assessment/overrides.html",
        {
            "form": form,
            "awaiting": overrides_awaiting(request.user),
            "rates": override_rates(request.user, since=since, until=until),
            "since": since,
            "until": until,
        },
    )


@login_required
def paper_import(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, can_assess)
    form = PaperImportForm(request.POST or None, request.FILES or None, instruments=usable_instruments(request.user))
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_paper_questionnaires(
                actor=Actor.from_request(request),
                version=form.version(),
                content=form.cleaned_data["sheet"],
                file_name=form.file_name,
                received_on=form.cleaned_data.get("received_on"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            level = messages.SUCCESS if not result.problems else messages.WARNING
            messages.add_message(
                request,
                level,
                _("%(ok)d of %(total)d questionnaires scored and saved; %(bad)d rows refused.")
                % {
                    "ok": result.record.imported_rows,
                    "total": result.record.total_rows,
                    "bad": result.record.total_rows - result.record.imported_rows,
                },
            )
    recent = PaperImport.objects.filter(uploaded_by=request.user).select_related("instrument_version")[:10]
    return render(request, "assessment/paper_import.html", {"form": form, "result": result, "recent": recent})


@login_required
def paper_template(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, can_assess)
    instrument = get_instrument_for_user(request.user, pk)
    if instrument.current_version is None:
        raise Http404
    return download_response(template_workbook(instrument.current_version), f"{instrument.code}-paper-entry.xlsx", XLSX)
