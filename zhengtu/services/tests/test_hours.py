import datetime as dt
from decimal import Decimal

import pytest

from zhengtu.services.hours import monthly_hours, required_hours, shortfalls_for
from zhengtu.services.models import ServiceKind
from zhengtu.services.services import record_service
from zhengtu.services.tests.conftest import actor, assign, person
from zhengtu.supervisees.models import SupervisionLevel

MARCH = dt.date(2026, 3, 1)


def session(user, people, project, *, kind, day, hours):
    return record_service(
        actor=actor(user),
        project=project,
        kind=kind,
        held_on=day,
        duration_hours=Decimal(hours),
        topic="学习" if kind == ServiceKind.EDUCATION else "公益劳动",
        attendees=people,
    )


@pytest.mark.django_db
def test_strict_level_needs_12_hours_of_study_and_12_of_community_service(pw, people):
    strict = people[0]
    session(pw.worker, [strict], pw.project, kind=ServiceKind.EDUCATION, day=dt.date(2026, 3, 3), hours="8")
    session(pw.worker, [strict], pw.project, kind=ServiceKind.COMMUNITY_SERVICE, day=dt.date(2026, 3, 4), hours="12")
    (march,) = monthly_hours([strict], MARCH)
    assert march.required == {"study": Decimal("12"), "community_service": Decimal("12")}
    assert march.actual == {"study": Decimal("8.0"), "community_service": Decimal("12.0")}
    assert march.shortfalls == {"study": Decimal("4.0")}
    session(pw.worker, [strict], pw.project, kind=ServiceKind.EDUCATION, day=dt.date(2026, 3, 20), hours="4")
    (march,) = monthly_hours([strict], MARCH)
    assert not march.has_shortfall
    # Hours of another month do not count for March.
    (april,) = monthly_hours([strict], dt.date(2026, 4, 1))
    assert april.actual == {} and april.has_shortfall


@pytest.mark.django_db
def test_levels_differ_and_other_kinds_of_record_do_not_count_as_study(pw, world):
    standard = person(world.office_a, level=SupervisionLevel.STANDARD)
    lenient = person(world.office_a, level=SupervisionLevel.LENIENT)
    assign(pw.worker, [standard, lenient])
    record_service(
        actor=actor(pw.worker),
        project=pw.project,
        kind=ServiceKind.PSYCHOLOGICAL_TEST,
        held_on=dt.date(2026, 3, 3),
        duration_hours=Decimal("2"),
        topic="SCL-90",
        attendees=[standard, lenient],
    )
    session(pw.worker, [standard, lenient], pw.project, kind=ServiceKind.EDUCATION, day=dt.date(2026, 3, 5), hours="4")
    session(pw.worker, [standard, lenient], pw.project, kind=ServiceKind.COMMUNITY_SERVICE, day=dt.date(2026, 3, 6), hours="4")  # fmt: skip
    by_person = {m.supervisee: m for m in monthly_hours([standard, lenient], MARCH)}
    assert by_person[standard].required["study"] == Decimal("8")
    assert by_person[standard].shortfalls == {"study": Decimal("4.0"), "community_service": Decimal("4.0")}
    assert by_person[lenient].required["study"] == Decimal("4") and not by_person[lenient].has_shortfall


@pytest.mark.django_db
def test_the_month_a_term_starts_is_pro_rated(world):
    late = person(world.office_a, term_start=dt.date(2026, 3, 17))  # 15 of 31 days under correction
    assert required_hours(late, MARCH) == {"study": Decimal("6"), "community_service": Decimal("6")}
    assert required_hours(late, dt.date(2026, 2, 1)) == {"study": Decimal("0"), "community_service": Decimal("0")}


@pytest.mark.django_db
def test_the_rule_is_a_setting(world, settings):
    settings.ZHENGTU_RULES = {
        **settings.ZHENGTU_RULES,
        "monthly_service_hours": {"strict": {"study": 10, "community_service": 8}},
    }
    strict = person(world.office_a)
    assert required_hours(strict, MARCH) == {"study": Decimal("10"), "community_service": Decimal("8")}


@pytest.mark.django_db
def test_shortfalls_are_listed_for_the_people_a_user_works_with(pw, people, world):
    session(pw.worker, people[:1], pw.project, kind=ServiceKind.EDUCATION, day=dt.date(2026, 3, 3), hours="12")
    session(pw.worker, people[:1], pw.project, kind=ServiceKind.COMMUNITY_SERVICE, day=dt.date(2026, 3, 4), hours="12")
    short = {m.supervisee for m in shortfalls_for(pw.worker, MARCH)}
    assert short == set(people[1:])
    assert shortfalls_for(world.officer_b, MARCH) == []
