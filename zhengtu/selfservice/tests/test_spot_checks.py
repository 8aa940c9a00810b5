"""Spot checks: asked by the officer or the schedule; answered by a check-in; missed → a monitoring alert."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.monitoring.models import Alert, AlertKind
from zhengtu.selfservice.models import SpotCheck, SpotCheckStatus
from zhengtu.selfservice.services.spotchecks import expire_spot_checks, request_spot_check, schedule_spot_checks
from zhengtu.workspace.models import Notification

pytestmark = pytest.mark.django_db


def test_officer_asks_the_person_is_told(client, login, world, me, my_account) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    client.post(reverse("appstaff:spot_check", args=[me.pk]))
    item = SpotCheck.objects.get(supervisee=me)
    assert item.status == SpotCheckStatus.PENDING
    assert (item.due_at - item.requested_at) == dt.timedelta(minutes=30)
    assert Notification.objects.filter(recipient=my_account, kind="app_spot_check").exists()


def test_an_outsider_cannot_ask(client, login, world, me, my_account) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_b)
    assert client.post(reverse("appstaff:spot_check", args=[me.pk])).status_code == 404
    assert not SpotCheck.objects.exists()


def test_timeout_raises_a_monitoring_alert_and_a_task(client, login, world, me, my_account) -> None:  # type: ignore[no-untyped-def]
    asked = timezone.now() - dt.timedelta(hours=1)
    item = request_spot_check(actor=Actor(user=world.officer_a), supervisee=me, now=asked)
    assert expire_spot_checks(now=asked + dt.timedelta(minutes=10)) == 0
    assert expire_spot_checks() == 1
    item.refresh_from_db()
    assert item.status == SpotCheckStatus.MISSED
    alert = Alert.objects.get(pk=item.alert_id)
    assert alert.kind == AlertKind.MISSED_SPOT_CHECK
    assert alert.supervisee_id == me.pk
    login(client, world.officer_a)
    assert reverse("supervision:file", args=[me.pk]) in client.get("/tasks/").content.decode()


def test_a_check_in_answers_the_spot_check(app_client, world, me) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.selfservice.tests.test_checkin import _challenge, _submit

    item = request_spot_check(actor=Actor(user=world.officer_a), supervisee=me)
    assert "点名" in app_client.get("/app/").content.decode()
    _submit(app_client, _challenge(app_client))
    item.refresh_from_db()
    assert item.status == SpotCheckStatus.ANSWERED
    assert expire_spot_checks(now=timezone.now() + dt.timedelta(hours=2)) == 0


@override_settings(ZHENGTU_RULES={"app_spot_checks_per_week": {"standard": 500, "strict": 500, "lenient": 500}})
def test_the_schedule_asks_people_with_an_account_during_the_day(me, my_account, world) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.testing.factories import make_supervisee

    make_supervisee(world.office_a)  # no account: never asked
    noon = timezone.make_aware(dt.datetime(2026, 12, 7, 12, 0))
    night = timezone.make_aware(dt.datetime(2026, 12, 7, 23, 0))
    assert schedule_spot_checks(now=night, chance=random.Random(1)) == 0
    assert schedule_spot_checks(now=noon, chance=random.Random(1)) == 1
    assert SpotCheck.objects.get().scheduled
