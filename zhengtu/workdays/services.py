"""Administrators' writes to the working-day calendar: create a year, correct a day. Audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user

from .calendar import load_year_from_chinesecalendar
from .models import CalendarDay

FIRST_YEAR, LAST_YEAR = 2000, 2100
CALENDAR_REFUSAL = gettext_lazy("You are not allowed to change the working-day calendar.")


def year_is_known(year: int) -> bool:
    return CalendarDay.objects.filter(date__year=year).exists()


@transaction.atomic
def create_year(*, actor: Actor, year: int) -> str:
    """Create a year's calendar: from chinesecalendar when it knows the year, else Monday–Friday to correct by hand.

    Returns "chinesecalendar" or "weekdays".
    """
    acting_user(actor, Capability.MANAGE_ORGANISATIONS, refusal=CALENDAR_REFUSAL)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if year_is_known(year):
        raise ValidationError(
            _("The calendar of %(year)d already exists: correct single days instead.") % {"year": year}
        )
    try:
        load_year_from_chinesecalendar(year)
        source = "chinesecalendar"
    except LookupError:
        day = dt.date(year, 1, 1)
        rows = []
        while day.year == year:
            rows.append(CalendarDay(date=day, is_working_day=day.weekday() < 5))
            day += dt.timedelta(days=1)
        CalendarDay.objects.bulk_create(rows)
        source = "weekdays"
    record_event(
        actor, action=Action.CREATE, object_type="workdays.calendaryear", object_id=str(year), detail={"source": source}
    )
    return source


@transaction.atomic
def set_calendar_day(*, actor: Actor, day: dt.date, is_working_day: bool, note: str = "") -> CalendarDay:
    """Mark one day as a working day or a rest day (holidays, make-up working days)."""
    acting_user(actor, Capability.MANAGE_ORGANISATIONS, refusal=CALENDAR_REFUSAL)
    if not year_is_known(day.year):
        raise ValidationError(
            {"date": _("The calendar of %(year)d does not exist yet: create the year first.") % {"year": day.year}}
        )
    note = note.strip()[:50]
    entry = CalendarDay.objects.select_for_update().get(date=day)
    before = {"is_working_day": entry.is_working_day, "note": entry.note}
    entry.is_working_day = is_working_day
    entry.note = note
    entry.save(update_fields=["is_working_day", "note"])
    record_event(
        actor,
        action=Action.UPDATE,
        object_type="workdays.calendarday",
        object_id=day.isoformat(),
        object_label=day.isoformat(),
        detail={"before": before, "after": {"is_working_day": is_working_day, "note": note}},
    )
    return entry
