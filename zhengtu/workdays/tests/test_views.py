"""The working-day calendar page: a warning for unknown years, creating a year, correcting a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhengtu.workdays.models import CalendarDay

pytestmark = pytest.mark.urls("zhengtu.workdays.tests.urls")


def test_an_unknown_year_is_flagged_and_can_be_created(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.bureau_a)
    page = client.get(reverse("workdays:calendar"), {"year": "2027"})
    assert page.status_code == 200
    assert not page.context["known"]
    assert "估算" in page.content.decode() or "approximate" in page.content.decode()
    response = client.post(reverse("workdays:create_year"), {"year": "2027"})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    day = client.post(reverse("workdays:set_day"), {"date": "2027-10-01", "is_working_day": "0", "note": "国庆节"})
    assert day.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2027, 10, 1)).note == "国庆节"
    assert client.get(reverse("workdays:calendar"), {"year": "2027"}).context["known"]


def test_a_bad_year_or_date_does_not_crash(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.bureau_a)
    assert client.get(reverse("workdays:calendar"), {"year": "abc"}).status_code == 200
    assert client.post(reverse("workdays:set_day"), {"date": "2027-02-30", "is_working_day": "1"}).status_code == 302


def test_officers_cannot_open_the_calendar_administration(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    assert client.get(reverse("workdays:calendar")).status_code == 403
    assert client.post(reverse("workdays:create_year"), {"year": "2027"}).status_code == 403
