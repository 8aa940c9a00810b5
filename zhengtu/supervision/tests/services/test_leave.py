"""Leave rules: the office up to 7 days, the county bureau beyond, the city bureau past 30 days or 30 in two months."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from zhengtu.supervision.models import ApprovalLevel, ApprovalStatus, StepStatus
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.leave import record_return, request_leave
from zhengtu.workspace.models import Notification

from ..conftest import actor, today


def _leave(people, world, start_offset: int, days: int):  # type: ignore[no-untyped-def]
    start = today() + dt.timedelta(days=start_offset)
    return request_leave(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        destination="长沙市岳麓区",
        reason="探望住院的母亲",
    )


def _levels(leave) -> list[str]:  # type: ignore[no-untyped-def]
    return list(leave.approval.steps.order_by("order").values_list("level", flat=True))


def test_a_short_leave_is_decided_by_the_office_alone(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = _leave(people, world, 1, 7)
    assert _levels(leave) == [ApprovalLevel.OFFICE]
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True, comment="同意")
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.APPROVED
    # The approved leave's form is issued into the execution file.
    assert people.supervisee.documents.filter(code="supervision.leave_approval", in_execution_archive=True).count() == 1


def test_a_ten_day_leave_cannot_be_approved_by_the_office_alone(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = _leave(people, world, 1, 10)
    assert _levels(leave) == [ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU]
    assert "10" in leave.approval.routing_reason
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.PENDING
    county_step = leave.approval.steps.get(order=1)
    assert county_step.status == StepStatus.PENDING
    assert county_step.organisation == world.county_a
    # The office officer cannot take the county step too.
    with pytest.raises(PermissionDenied):
        decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    # The county bureau was told.
    assert Notification.objects.filter(recipient=world.bureau_a, kind="approval_pending").exists()
    decide(actor=actor(world.bureau_a), request=leave.approval, approve=True, comment="同意外出")
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.APPROVED
    assert Notification.objects.filter(recipient=world.officer_a, kind="approval_approved").exists()


def test_a_third_leave_crossing_thirty_days_in_two_months_goes_up_a_level(people, world) -> None:  # type: ignore[no-untyped-def]
    first = _leave(people, world, 1, 7)
    second = _leave(people, world, 10, 12)
    assert _levels(first) == [ApprovalLevel.OFFICE]
    assert _levels(second) == [ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU]
    third = _leave(people, world, 25, 12)  # 7 + 12 + 12 = 31 days within two months
    assert _levels(third) == [ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU, ApprovalLevel.CITY_BUREAU]
    assert third.approval.steps.get(order=2).organisation == world.city
    assert "31" in third.approval.routing_reason


def test_leave_far_apart_does_not_add_up(people, world) -> None:  # type: ignore[no-untyped-def]
    _leave(people, world, 1, 12)
    later = _leave(people, world, 80, 12)  # more than two months later
    assert _levels(later) == [ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU]


def test_a_rejected_leave_does_not_count_towards_the_window(people, world) -> None:  # type: ignore[no-untyped-def]
    first = _leave(people, world, 1, 20)
    decide(actor=actor(world.colleague_a), request=first.approval, approve=False, comment="理由不充分")
    second = _leave(people, world, 1, 15)
    assert ApprovalLevel.CITY_BUREAU not in _levels(second)


def test_one_leave_longer_than_thirty_days_goes_up_a_level(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = _leave(people, world, 1, 31)
    assert _levels(leave)[-1] == ApprovalLevel.CITY_BUREAU
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=leave.approval, approve=True)
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.PENDING
    decide(actor=actor(people.city_admin), request=leave.approval, approve=True)
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.APPROVED


@override_settings(ZHENGTU_LEAVE_RULES={"office_max_days": 10})
def test_a_province_can_let_offices_approve_longer_leave(people, world) -> None:  # type: ignore[no-untyped-def]
    assert _levels(_leave(people, world, 1, 10)) == [ApprovalLevel.OFFICE]


def test_rejection_needs_a_reason_and_cancels_the_later_steps(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = _leave(people, world, 1, 10)
    with pytest.raises(ValidationError) as error:
        decide(actor=actor(world.colleague_a), request=leave.approval, approve=False, comment=" ")
    assert "comment" in error.value.message_dict
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=False, comment="正值重点时期")
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.REJECTED
    assert leave.approval.steps.get(order=1).status == StepStatus.CANCELLED
    with pytest.raises(ValidationError):
        decide(actor=actor(world.bureau_a), request=leave.approval, approve=True)


def test_invalid_leave_is_refused_with_messages(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        request_leave(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            start_date=today() + dt.timedelta(days=5),
            end_date=today() + dt.timedelta(days=2),
            destination="",
            reason="",
        )
    assert set(error.value.message_dict) == {"end_date", "destination", "reason"}


def test_overlapping_leave_is_refused(people, world) -> None:  # type: ignore[no-untyped-def]
    _leave(people, world, 1, 5)
    with pytest.raises(ValidationError):
        _leave(people, world, 3, 2)


def test_leave_for_someone_not_under_supervision_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    from ..conftest import pending_supervisee

    with pytest.raises(ValidationError):
        request_leave(
            actor=actor(world.officer_a),
            supervisee=pending_supervisee(world.office_a),
            start_date=today() + dt.timedelta(days=1),
            end_date=today() + dt.timedelta(days=2),
            destination="长沙",
            reason="办事",
        )


def test_the_return_is_recorded_after_an_approved_leave(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = _leave(people, world, 0, 2)
    with pytest.raises(ValidationError):
        record_return(actor=actor(world.officer_a), leave=leave, returned_on=today())
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    leave.refresh_from_db()
    record_return(actor=actor(world.officer_a), leave=leave, returned_on=today())
    assert leave.returned_on == today()


def test_a_social_worker_cannot_approve(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = _leave(people, world, 1, 3)
    with pytest.raises(PermissionDenied):
        decide(actor=actor(world.social_worker_a), request=leave.approval, approve=True)
