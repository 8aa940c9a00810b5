"""What the ledger counts towards project KPIs: sessions, person-times, distinct people."""

import datetime as dt
from decimal import Decimal

import pytest

from zhengtu.projects import indicators
from zhengtu.services.models import ServiceKind, ServiceMode, VisitType
from zhengtu.services.services import record_service
from zhengtu.services.tests.conftest import actor

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def add(pw, people, kind, day, **fields):
    return record_service(
        actor=actor(pw.worker),
        project=pw.project,
        kind=kind,
        held_on=day,
        duration_hours=Decimal(fields.pop("hours", "1")),
        topic=fields.pop("topic", "记录"),
        attendees=people,
        **fields,
    )


@pytest.mark.django_db
def test_counting_rules(pw, people):
    a, b, c = people
    add(pw, [a, b, c], ServiceKind.EDUCATION, dt.date(2026, 3, 1))
    add(pw, [a], ServiceKind.EDUCATION, dt.date(2026, 3, 2), mode=ServiceMode.INDIVIDUAL)
    add(pw, [a, b, c], ServiceKind.PSYCHOLOGICAL_TEST, dt.date(2026, 3, 3))
    add(pw, [a, b], ServiceKind.PSYCHOLOGICAL_TEST, dt.date(2026, 6, 3))
    add(pw, [a], ServiceKind.COUNSELLING, dt.date(2026, 3, 4), mode=ServiceMode.INDIVIDUAL)
    add(pw, [a], ServiceKind.COUNSELLING, dt.date(2026, 3, 11), mode=ServiceMode.INDIVIDUAL)
    add(pw, [a, b, c], ServiceKind.COUNSELLING, dt.date(2026, 3, 5))
    add(pw, [a, b], ServiceKind.VISIT, dt.date(2026, 3, 6), visit_type=VisitType.ROUTINE)
    add(pw, [b, c], ServiceKind.VISIT, dt.date(2026, 4, 6), visit_type=VisitType.ROUTINE)
    add(pw, [c], ServiceKind.VISIT, dt.date(2026, 4, 7), visit_type=VisitType.FOCUS, mode=ServiceMode.INDIVIDUAL)

    def measure(code, first=YEAR[0], last=YEAR[1]):
        return indicators.measure(pw.project, code, first, last)

    assert measure("education_sessions") == 2
    assert measure("psychological_tests") == 5  # person-times
    assert measure("psychological_tests", last=dt.date(2026, 3, 31)) == 3
    assert measure("individual_counselling") == 1  # one person, however many sessions
    assert measure("group_counselling") == 1
    assert measure("routine_visits") == 3  # a, b, c each once
    assert measure("focus_visits") == 1 and measure("special_visits") == 0
    rows = indicators.evidence(pw.project, "routine_visits", *YEAR)
    assert [row.counted for row in rows] == [2, 1]  # the April visit adds only c
    assert all(row.url.startswith("/services/records/") for row in rows)


@pytest.mark.django_db
def test_other_projects_records_do_not_count(pw, people, world):
    from zhengtu.projects import services

    other = services.create_project(
        actor=actor(world.bureau_a),
        name="另一个项目",
        buying_bureau=world.county_a,
        agency=world.agency_a,
        period_start=YEAR[0],
        period_end=YEAR[1],
        contract_amount=Decimal("100000"),
    )
    add(pw, people, ServiceKind.EDUCATION, dt.date(2026, 3, 1))
    assert indicators.measure(other, "education_sessions", *YEAR) == 0
    assert indicators.measure(pw.project, "education_sessions", *YEAR) == 1
