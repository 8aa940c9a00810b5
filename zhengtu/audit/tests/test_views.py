import datetime as dt

import pytest
from django.urls import reverse

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import Action, Outcome
from zhengtu.audit.services import Actor, record_event
from zhengtu.testing.factories import UserFactory, make_supervisee

LIST = reverse("audit:list")


@pytest.fixture
def entries(world):
    mine = make_supervisee(world.office_a, name="张三")
    theirs = make_supervisee(world.office_b, name="李四")
    return {
        "officer_a_view": record_event(Actor(user=world.officer_a), action=Action.VIEW, target=mine),
        "officer_b_view": record_event(Actor(user=world.officer_b), action=Action.VIEW, target=theirs),
        "officer_b_export": record_event(
            Actor(user=world.officer_b), action=Action.EXPORT, object_type="supervisees.export", outcome=Outcome.SUCCESS
        ),
        # A city user (outside county A's subtree) looking at county A's supervisee.
        "city_view_of_mine": record_event(
            Actor(user=UserFactory(organisation=world.city, role=Role.BUREAU_ADMIN)), action=Action.VIEW, target=mine
        ),
        "failed_login_a": record_event(
            Actor(user=world.colleague_a), action=Action.LOGIN_FAILED, outcome=Outcome.FAILURE
        ),
    }


def sequences_on(response):
    return {entry.sequence for entry, _label in response.context["entries"]}


@pytest.mark.django_db
def test_bureau_admins_see_their_subtree_and_their_supervisees_and_nothing_of_another_county(
    client, world, login, entries
):
    login(client, world.bureau_a)
    response = client.get(LIST)
    assert response.status_code == 200
    seen = sequences_on(response)
    assert entries["officer_a_view"].sequence in seen
    assert entries["failed_login_a"].sequence in seen
    assert entries["city_view_of_mine"].sequence in seen  # about a supervisee in their scope
    assert entries["officer_b_view"].sequence not in seen
    assert entries["officer_b_export"].sequence not in seen
    assert "李四" not in response.content.decode()


@pytest.mark.django_db
def test_staff_without_the_capability_are_refused(client, world, login, entries):
    login(client, world.officer_a)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("audit:detail", args=[entries["officer_a_view"].pk])).status_code == 403


@pytest.mark.django_db
def test_outsider_gets_404_for_another_countys_entry(client, world, login, entries):
    bureau_b = UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN)
    login(client, bureau_b)
    assert client.get(reverse("audit:detail", args=[entries["officer_a_view"].pk])).status_code == 404
    own = client.get(reverse("audit:detail", args=[entries["officer_b_view"].pk]))
    assert own.status_code == 200 and entries["officer_b_view"].entry_hash in own.content.decode()


@pytest.mark.django_db
def test_filters_by_user_action_object_and_outcome(client, world, login, entries):
    login(client, world.bureau_a)
    by_user = sequences_on(client.get(LIST, {"user": world.colleague_a.username}))
    assert by_user == {entries["failed_login_a"].sequence}
    by_action = sequences_on(client.get(LIST, {"action": Action.VIEW}))
    assert by_action == {entries["officer_a_view"].sequence, entries["city_view_of_mine"].sequence}
    by_outcome = sequences_on(client.get(LIST, {"outcome": Outcome.FAILURE}))
    assert by_outcome == {entries["failed_login_a"].sequence}
    target = entries["officer_a_view"]
    by_object = sequences_on(client.get(LIST, {"object_type": target.object_type, "object_id": target.object_id}))
    assert by_object == {target.sequence, entries["city_view_of_mine"].sequence}


@pytest.mark.django_db
def test_date_filters_use_local_days_and_a_bad_date_keeps_the_other_filters(client, world, login, entries):
    login(client, world.bureau_a)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    assert sequences_on(client.get(LIST, {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    assert not sequences_on(client.get(LIST, {"date_from": (today + dt.timedelta(days=1)).isoformat()}))
    response = client.get(LIST, {"date_from": "2026-13-45", "action": Action.LOGIN_FAILED})
    assert response.status_code == 200
    assert sequences_on(response) == {entries["failed_login_a"].sequence}
    assert "有效的日期" in response.content.decode()
    backwards = client.get(
        LIST, {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=3)).isoformat()}
    )
    assert "截止日期早于起始日期" in backwards.content.decode()


@pytest.mark.django_db
def test_the_list_is_paginated(client, world, login):
    for _ in range(55):
        record_event(Actor(user=world.officer_a), action=Action.VIEW)
    login(client, world.bureau_a)
    first = client.get(LIST)
    assert len(first.context["entries"]) == 50
    second = client.get(LIST, {"page": 2})
    assert len(second.context["entries"]) >= 5


@pytest.mark.django_db
def test_the_nav_shows_the_audit_log_only_to_those_who_may_read_it(client, world, login):
    login(client, world.bureau_a)
    assert LIST in client.get("/").content.decode()
    client.logout()
    login(client, world.officer_a)
    assert LIST not in client.get("/").content.decode()
