"""A search opens by itself when a person cannot be reached, at the thresholds of the settings, never twice."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from zhengtu.monitoring.models import Device, DeviceBinding, DeviceState
from zhengtu.selfservice.models import SpotCheck, SpotCheckStatus
from zhengtu.supervision.models import CheckIn, SearchOutcome, SearchRecord, SearchTrigger
from zhengtu.supervision.services.absconding import close_search
from zhengtu.supervision.services.contact import open_searches_for_unreachable
from zhengtu.workspace.models import Notification

from ..conftest import actor, supervised, today


def _check_in(supervisee, days_ago: int) -> None:  # type: ignore[no-untyped-def]
    CheckIn.objects.create(
        supervisee=supervisee, kind="checkin", channel="office", occurred_on=today() - dt.timedelta(days=days_ago)
    )


def test_two_missed_check_ins_open_a_search_once(people, world) -> None:  # type: ignore[no-untyped-def]
    # Standard level: a check-in every 14 days. Reported 30 days ago, never checked in: two missed.
    person = people.supervisee
    assert open_searches_for_unreachable() == 1
    record = SearchRecord.objects.get(supervisee=person)
    assert record.trigger == SearchTrigger.MISSED_CHECK_INS and record.opened_by is None
    assert record.lost_contact_at <= timezone.now()
    assert Notification.objects.filter(recipient=world.officer_a, kind="absconding_opened").exists()
    assert Notification.objects.filter(recipient=world.bureau_a, kind="absconding_opened").exists()
    # The next hour's scan finds the same person and opens nothing more.
    assert open_searches_for_unreachable() == 0
    assert SearchRecord.objects.filter(supervisee=person).count() == 1


def test_one_missed_check_in_is_not_enough(people) -> None:  # type: ignore[no-untyped-def]
    _check_in(people.supervisee, 15)  # due 1 day ago: one missed
    assert open_searches_for_unreachable() == 0
    with override_settings(ZHENGTU_ABSCONDING_RULES={"missed_check_ins": 1}):
        assert open_searches_for_unreachable() == 1


def test_a_threshold_of_zero_switches_the_trigger_off(people) -> None:  # type: ignore[no-untyped-def]
    with override_settings(ZHENGTU_ABSCONDING_RULES={"missed_check_ins": 0}):
        assert open_searches_for_unreachable() == 0


def test_a_person_found_is_not_searched_again_for_the_same_silence(people, world) -> None:  # type: ignore[no-untyped-def]
    open_searches_for_unreachable()
    record = SearchRecord.objects.get(supervisee=people.supervisee)
    close_search(actor=actor(world.officer_a), record=record, outcome=SearchOutcome.FOUND, notes="在外地务工，已联系")
    assert open_searches_for_unreachable() == 0


def test_missed_spot_checks_in_a_row_open_a_search(world) -> None:  # type: ignore[no-untyped-def]
    person = supervised(world.office_a, world.officer_a)
    _check_in(person, 0)
    now = timezone.now()

    def spot_check(hours_ago: int, status: str) -> None:
        at = now - dt.timedelta(hours=hours_ago)
        SpotCheck.objects.create(supervisee=person, requested_at=at, due_at=at, status=status)

    spot_check(50, SpotCheckStatus.MISSED)
    spot_check(30, SpotCheckStatus.ANSWERED)
    spot_check(20, SpotCheckStatus.MISSED)
    spot_check(10, SpotCheckStatus.MISSED)
    assert open_searches_for_unreachable() == 0  # an answer breaks the run: only two in a row
    spot_check(2, SpotCheckStatus.MISSED)
    assert open_searches_for_unreachable() == 1
    record = SearchRecord.objects.get(supervisee=person)
    assert record.trigger == SearchTrigger.MISSED_SPOT_CHECK


def test_a_device_silent_beyond_the_limit_opens_a_search(world) -> None:  # type: ignore[no-untyped-def]
    person = supervised(world.office_a, world.officer_a)
    _check_in(person, 0)
    now = timezone.now()
    device = Device.objects.create(
        identifier="861234567890123", kind="wristband", protocol="jt808", organisation=world.county_a
    )
    DeviceBinding.objects.create(
        device=device, supervisee=person, starts_at=now - dt.timedelta(days=5), ends_at=now + dt.timedelta(days=20)
    )
    state = DeviceState.objects.create(device=device, last_seen_at=now - dt.timedelta(hours=20))
    assert open_searches_for_unreachable() == 0  # 20 hours < 24
    state.last_seen_at = now - dt.timedelta(hours=25)
    state.save()
    with override_settings(ZHENGTU_ABSCONDING_RULES={"device_offline_hours": 30}):
        assert open_searches_for_unreachable() == 0
    assert open_searches_for_unreachable() == 1
    record = SearchRecord.objects.get(supervisee=person)
    assert record.trigger == SearchTrigger.DEVICE_OFFLINE
    assert abs(record.lost_contact_at - (state.last_seen_at + dt.timedelta(hours=24))) < dt.timedelta(seconds=1)


def test_an_open_search_by_the_officer_is_not_doubled(people, world) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.supervision.services.absconding import open_search

    open_search(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        trigger="not_found",
        lost_contact_at=timezone.now() - dt.timedelta(hours=2),
    )
    assert open_searches_for_unreachable() == 0
    assert SearchRecord.objects.filter(supervisee=people.supervisee).count() == 1
