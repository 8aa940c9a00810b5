"""The administrators' page of the working-day calendar: see a year, create a missing one, correct a day."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability

from . import services
from .calendar import WorkingDayCalendar, _chinesecalendar_years
from .forms import CalendarDayForm


def _year_param(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return min(max(year, services.FIRST_YEAR), services.LAST_YEAR)


def _months(year: int, calendar: WorkingDayCalendar, notes: dict[dt.date, str]) -> list[dict[str, object]]:
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(
                [
                    {
                        "date": day,
                        "in_month": day.month == month,
                        "working": calendar.is_working_day(day),
                        "weekend": day.weekday() >= 5,
                        "note": notes.get(day, ""),
                    }
                    for day in week
                ]
            )
        months.append({"month": month, "weeks": weeks})
    return months


@login_required
def calendar_year(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    year = _year_param(request.GET.get("year"))
    calendar = WorkingDayCalendar.load()
    from .models import CalendarDay

    notes = dict(CalendarDay.objects.filter(date__year=year).exclude(note="").values_list("date", "note"))
    form = CalendarDayForm(initial={"date": dt.date(year, 1, 1)})
    context = {
        "year": year,
        "known": calendar.knows_year(year),
        "in_package": year in _chinesecalendar_years(),
        "months": _months(year, calendar, notes),
        "form": form,
        "weekday_labels": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "working_days": sum(
            1
            for m in range(1, 13)
            for d in range(1, month_calendar.monthrange(year, m)[1] + 1)
            if calendar.is_working_day(dt.date(year, m, d))
        ),
    }
    return render(request, "workdays/calendar.html", context)


@login_required
@require_POST
def create_year(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    year = _year_param(request.POST.get("year"))
    try:
        source = services.create_year(actor=Actor.from_request(request), year=year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if source == "weekdays":
            messages.warning(
                request,
                _(
                    "The calendar of %(year)d was created from Monday to Friday: enter each holiday and make-up working day."
                )
                % {"year": year},
            )
        else:
            messages.success(
                request, _("The calendar of %(year)d was loaded from the State Council arrangement.") % {"year": year}
            )
    return redirect(f"{reverse('workdays:calendar')}?year={year}")


@login_required
@require_POST
def set_day(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    form = CalendarDayForm(request.POST)
    year = _year_param(request.POST.get("date", "")[:4])
    if form.is_valid():
        try:
            data = form.cleaned_data
            entry = services.set_calendar_day(
                actor=Actor.from_request(request),
                day=data["date"],
                is_working_day=data["is_working_day"],
                note=data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                (_("%(date)s is now a working day.") if entry.is_working_day else _("%(date)s is now a rest day."))
                % {"date": entry.date.isoformat()},
            )
            year = entry.date.year
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect(f"{reverse('workdays:calendar')}?year={year}")
