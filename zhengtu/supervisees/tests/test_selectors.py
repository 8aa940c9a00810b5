"""Search and filters of the registry list, always inside the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhengtu.supervisees.models import SentenceType, Status, SupervisionLevel
from zhengtu.supervisees.selectors import (
    SuperviseeFilters,
    assignable_staff,
    filter_offices_for,
    list_supervisees,
    supervisees_with_term_ending,
)
from zhengtu.testing.factories import UserFactory, make_supervisee

from .builders import identity

pytestmark = pytest.mark.django_db


def names(user, **filters) -> set[str]:  # type: ignore[no-untyped-def]
    return {s.name for s in list_supervisees(user, SuperviseeFilters(**filters))}


def test_pinyin_initials_full_pinyin_and_name_find_the_person(world) -> None:  # type: ignore[no-untyped-def]
    make_supervisee(world.office_a, name="张三")
    make_supervisee(world.office_a, name="赵四")  # also "zs"
    make_supervisee(world.office_a, name="王五")
    make_supervisee(world.office_a, name="单田芳")
    assert names(world.officer_a, q="zs") == {"张三", "赵四"}
    assert names(world.officer_a, q="ZS") == {"张三", "赵四"}
    assert names(world.officer_a, q="zhangs") == {"张三"}
    assert names(world.officer_a, q="zhaos") == {"赵四"}
    assert names(world.officer_a, q="w") == {"王五"}
    assert names(world.officer_a, q="张") == {"张三"}
    assert names(world.officer_a, q="田") == {"单田芳"}
    # 单 is read shàn as a surname, dān elsewhere: both find him.
    assert names(world.officer_a, q="stf") == {"单田芳"}
    assert names(world.officer_a, q="dtf") == {"单田芳"}
    assert names(world.officer_a, q="s") == {"单田芳"}  # not 张三: initials match from the start


def test_identity_number_search_is_exact_and_uses_the_keyed_hash(world) -> None:  # type: ignore[no-untyped-def]
    number = identity(sequence=41)
    make_supervisee(world.office_a, name="张三", identity_number=number)
    make_supervisee(world.office_a, name="李四")
    assert names(world.officer_a, q=number) == {"张三"}
    assert names(world.officer_a, q=number.lower()[:-1] + number[-1].lower()) == {"张三"}
    assert names(world.officer_a, q=f" {number[:6]} {number[6:]} ") == {"张三"}
    assert names(world.officer_a, q=number[:-1] + ("0" if number[-1] != "0" else "1")) == set()
    assert names(world.officer_a, q=number[-4:]) == {"张三"}  # last four characters, as on the masked value


def test_phone_search(world) -> None:  # type: ignore[no-untyped-def]
    make_supervisee(world.office_a, name="张三", phone="138-1234-5678")
    make_supervisee(world.office_a, name="李四", phone="13900000000")
    assert names(world.officer_a, q="13812345678") == {"张三"}


def test_search_never_leaves_the_scope(world) -> None:  # type: ignore[no-untyped-def]
    number = identity(sequence=43)
    make_supervisee(world.office_b, name="张三", identity_number=number)
    assert names(world.officer_a, q="zs") == set()
    assert names(world.officer_a, q=number) == set()
    assert names(world.officer_b, q="zs") == {"张三"}


def test_filters_combine(world) -> None:  # type: ignore[no-untyped-def]
    make_supervisee(world.office_a, name="甲", supervision_level=SupervisionLevel.STRICT)
    make_supervisee(world.office_a2, name="乙", sentence_type=SentenceType.PAROLE)
    make_supervisee(world.office_a, name="丙", status=Status.UNDER_SUPERVISION)
    make_supervisee(world.office_b, name="丁", supervision_level=SupervisionLevel.STRICT)
    assert names(world.bureau_a) == {"甲", "乙", "丙"}
    assert names(world.bureau_a, supervision_level="strict") == {"甲"}
    assert names(world.bureau_a, sentence_type="parole") == {"乙"}
    assert names(world.bureau_a, status="under_supervision") == {"丙"}
    assert names(world.bureau_a, office=world.office_a2) == {"乙"}
    assert names(world.bureau_a, office=world.county_a) == {"甲", "乙", "丙"}
    assert names(world.bureau_a, office=world.office_a, supervision_level="strict") == {"甲"}


def test_term_ending_within_days(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    # Term of 1 month starting at S ends the day before S + 1 month.
    make_supervisee(world.office_a, name="十日", term_start=today - dt.timedelta(days=20), term_months=1)
    make_supervisee(world.office_a, name="半年", term_start=today, term_months=6)
    make_supervisee(world.office_a, name="已过", term_start=today - dt.timedelta(days=400), term_months=12)
    assert names(world.officer_a, term_ending_within_days=30) == {"十日"}
    assert names(world.officer_a, term_ending_within_days=365) == {"十日", "半年"}
    listed = list(list_supervisees(world.officer_a, SuperviseeFilters(term_ending_within_days=365)))
    assert [s.name for s in listed] == ["十日", "半年"]  # soonest first


def test_list_rows_need_no_query_per_row(world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(12):
        make_supervisee(world.office_a, responsible_officer=world.officer_a)
    queryset = list_supervisees(world.bureau_a, SuperviseeFilters())  # the scope is read here: two queries
    with django_assert_max_num_queries(1):
        rows = list(queryset)
        assert {str(r.responsible_office) for r in rows} == {"卢峰司法所"}
        assert {str(r.responsible_officer) for r in rows} == {str(world.officer_a)}


def test_filter_offices_are_the_users_subtree(world) -> None:  # type: ignore[no-untyped-def]
    assert set(filter_offices_for(world.bureau_a)) == {world.county_a, world.office_a, world.office_a2}
    assert set(filter_offices_for(world.officer_a)) == {world.office_a}
    assert set(filter_offices_for(world.social_worker_a)) == set()


def test_assignable_staff_include_the_agency_under_the_county(world) -> None:  # type: ignore[no-untyped-def]
    person = make_supervisee(world.office_a)
    staff = set(assignable_staff(person))
    assert {world.officer_a, world.colleague_a, world.bureau_a, world.social_worker_a} <= staff
    assert world.officer_b not in staff
    inspector = UserFactory(organisation=world.county_a, role="inspector")
    assert inspector not in set(assignable_staff(person))


def test_term_ending_reminders_are_for_my_people(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    start = today - dt.timedelta(days=20)
    mine = make_supervisee(world.office_a, term_start=start, term_months=1, responsible_officer=world.officer_a)
    make_supervisee(world.office_a, term_start=start, term_months=1, responsible_officer=world.colleague_a)
    assert list(supervisees_with_term_ending(world.officer_a, within_days=30)) == [mine]
