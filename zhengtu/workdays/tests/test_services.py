"""Administrators create a missing year and correct single days; deadlines follow at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.workdays.calendar import add_working_days
from zhengtu.workdays.models import CalendarDay
from zhengtu.workdays.services import create_year, set_calendar_day


def test_a_year_the_package_knows_is_loaded_from_it(world) -> None:  # type: ignore[no-untyped-def]
    assert create_year(actor=Actor(user=world.bureau_a), year=2026) == "chinesecalendar"
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 1)).is_working_day is False
    with pytest.raises(ValidationError):
        create_year(actor=Actor(user=world.bureau_a), year=2026)


def test_a_year_the_package_lacks_starts_from_weekdays_and_is_corrected_by_hand(world) -> None:  # type: ignore[no-untyped-def]
    start = dt.date(2027, 9, 30)  # a Thursday
    assert add_working_days(start, 1).is_approximate
    with pytest.raises(ValidationError):
        set_calendar_day(actor=Actor(user=world.bureau_a), day=dt.date(2027, 10, 1), is_working_day=False)
    assert create_year(actor=Actor(user=world.bureau_a), year=2027) == "weekdays"
    deadline = add_working_days(start, 1)
    assert deadline.due == dt.date(2027, 10, 1) and not deadline.is_approximate
    for day in range(1, 8):
        set_calendar_day(
            actor=Actor(user=world.bureau_a), day=dt.date(2027, 10, day), is_working_day=False, note="国庆节"
        )
    set_calendar_day(actor=Actor(user=world.bureau_a), day=dt.date(2027, 10, 9), is_working_day=True, note="调休上班")
    assert add_working_days(start, 1).due == dt.date(2027, 10, 8)
    assert add_working_days(start, 2).due == dt.date(2027, 10, 9)
    assert AuditEntry.objects.filter(object_type="workdays.calendarday").count() == 8


def test_only_administrators_change_the_calendar(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        create_year(actor=Actor(user=world.officer_a), year=2027)
