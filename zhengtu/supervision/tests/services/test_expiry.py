"""Time-limited permits and leave about to expire: a task and one notification, N days before (a setting)."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from zhengtu.supervision.selectors import my_tasks
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.expiry import send_expiry_reminders
from zhengtu.supervision.services.leave import request_leave
from zhengtu.supervision.services.permits import request_permit
from zhengtu.workspace.models import Notification

from ..conftest import actor, today


def _cross_city(people, world, *, days: int):  # type: ignore[no-untyped-def]
    permit = request_permit(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind="cross_city",
        subject="长沙市",
        reason="货运往返",
        start_date=today(),
        end_date=today() + dt.timedelta(days=days),
    )
    for approver in (world.colleague_a, world.bureau_a):
        decide(actor=actor(approver), request=permit.approval, approve=True)
    permit.refresh_from_db()
    return permit


def _expiry_notifications() -> int:
    return Notification.objects.filter(kind="permit_expiring").count()


def test_a_cross_city_permit_is_announced_fourteen_days_before_once(people, world) -> None:  # type: ignore[no-untyped-def]
    permit = _cross_city(people, world, days=20)
    assert send_expiry_reminders() == 0  # 20 days left: not yet
    assert not [t for t in my_tasks(world.officer_a) if t.kind == "permit_expiring"]
    later = today() + dt.timedelta(days=7)  # 13 days left
    assert send_expiry_reminders(today=later) == 1
    assert Notification.objects.filter(recipient=world.officer_a, kind="permit_expiring").exists()
    assert send_expiry_reminders(today=later) == 0
    assert send_expiry_reminders(today=later + dt.timedelta(days=1)) == 0
    permit.refresh_from_db()
    assert permit.expiry_reminded_at is not None
    assert _expiry_notifications() >= 1
    sent = _expiry_notifications()
    send_expiry_reminders(today=later + dt.timedelta(days=2))
    assert _expiry_notifications() == sent


def test_the_reminder_window_is_a_setting(people, world) -> None:  # type: ignore[no-untyped-def]
    _cross_city(people, world, days=20)
    with override_settings(ZHENGTU_EXPIRY_REMINDER_DAYS={"cross_city": 30}):
        tasks = [t for t in my_tasks(world.officer_a) if t.kind == "permit_expiring"]
        assert len(tasks) == 1 and tasks[0].due == today() + dt.timedelta(days=20)
        assert send_expiry_reminders() == 1
    # Another county's officer sees no such task.
    assert not [t for t in my_tasks(world.officer_b) if t.kind == "permit_expiring"]


def test_leave_ending_is_announced_and_not_after_the_return(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = request_leave(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        start_date=today(),
        end_date=today() + dt.timedelta(days=1),
        destination="长沙",
        reason="探亲",
    )
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    tasks = [t for t in my_tasks(world.officer_a) if t.kind == "permit_expiring"]
    assert len(tasks) == 1 and "长沙" in tasks[0].title
    leave.returned_on = today()
    leave.save(update_fields=["returned_on"])
    assert send_expiry_reminders() == 0
    assert not [t for t in my_tasks(world.officer_a) if t.kind == "permit_expiring"]
