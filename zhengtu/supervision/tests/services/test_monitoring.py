"""Electronic monitoring: a statutory situation, the county bureau head, at most 3 months a period."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError

from zhengtu.supervision.models import ApprovalLevel, ApprovalStatus, MonitoringSituation
from zhengtu.supervision.selectors import approved_monitoring_period
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.monitoring import request_monitoring

from ..conftest import actor, today


def _request(people, world, *, situation=MonitoringSituation.REFUSED_TO_REPORT, months=3, extends=None):  # type: ignore[no-untyped-def]
    start = today()
    return request_monitoring(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        situation=situation,
        facts="多次拒不报告活动情况，已被警告",
        start_date=start,
        end_date=start + relativedelta(months=months) - dt.timedelta(days=1),
        extends=extends,
    )


def test_monitoring_is_refused_without_a_statutory_situation(people, world) -> None:  # type: ignore[no-untyped-def]
    for situation in ("", "suspicious_behaviour"):
        with pytest.raises(ValidationError) as error:
            _request(people, world, situation=situation)
        assert "situation" in error.value.message_dict
        assert (
            "第二十九条" in error.value.message_dict["situation"][0] or "29" in error.value.message_dict["situation"][0]
        )
    assert not people.supervisee.monitoring_approvals.exists()


def test_monitoring_is_refused_beyond_three_months(people, world) -> None:  # type: ignore[no-untyped-def]
    start = today()
    with pytest.raises(ValidationError) as error:
        request_monitoring(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            situation=MonitoringSituation.POLICE_PENALTY,
            facts="违反监督管理规定受到治安管理处罚",
            start_date=start,
            end_date=start + relativedelta(months=3),  # one day too many
        )
    latest = (start + relativedelta(months=3) - dt.timedelta(days=1)).isoformat()
    assert latest in error.value.message_dict["end_date"][0]


def test_the_county_bureau_head_approves_and_the_period_is_enforceable(people, world) -> None:  # type: ignore[no-untyped-def]
    monitoring = _request(people, world)
    steps = list(monitoring.approval.steps.all())
    assert [s.level for s in steps] == [ApprovalLevel.COUNTY_BUREAU]
    assert approved_monitoring_period(people.supervisee, today()) is None  # nothing before approval
    with pytest.raises(PermissionDenied):
        decide(actor=actor(world.colleague_a), request=monitoring.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=monitoring.approval, approve=True, comment="同意使用电子定位装置")
    assert approved_monitoring_period(people.supervisee, today()) == (monitoring.start_date, monitoring.end_date)
    assert approved_monitoring_period(people.supervisee, monitoring.end_date + dt.timedelta(days=1)) is None
    assert people.supervisee.documents.filter(code="supervision.monitoring_approval").exists()


def test_an_extension_continues_the_period_for_at_most_three_months(people, world) -> None:  # type: ignore[no-untyped-def]
    first = _request(people, world)
    decide(actor=actor(world.bureau_a), request=first.approval, approve=True)
    first.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        request_monitoring(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            situation=first.situation,
            facts="仍需监管",
            start_date=today(),
            end_date=first.end_date + relativedelta(months=4),
            extends=first,
        )
    assert "end_date" in error.value.message_dict
    extension = request_monitoring(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        situation=first.situation,
        facts="仍需监管",
        start_date=today(),
        end_date=first.end_date + relativedelta(months=2),
        extends=first,
    )
    assert extension.start_date == first.end_date + dt.timedelta(days=1)
    decide(actor=actor(world.bureau_a), request=extension.approval, approve=True)
    assert approved_monitoring_period(people.supervisee, today()) == (first.start_date, extension.end_date)


def test_a_rejected_request_leaves_no_period(people, world) -> None:  # type: ignore[no-untyped-def]
    monitoring = _request(people, world)
    decide(actor=actor(world.bureau_a), request=monitoring.approval, approve=False, comment="情形不符")
    monitoring.approval.refresh_from_db()
    assert monitoring.approval.status == ApprovalStatus.REJECTED
    assert approved_monitoring_period(people.supervisee, today()) is None


def test_an_unapproved_period_cannot_be_extended(people, world) -> None:  # type: ignore[no-untyped-def]
    pending = _request(people, world)
    with pytest.raises(ValidationError):
        _request(people, world, months=1, extends=pending)
