"""Separation of duties (the filer never approves) and the dates and places printed in documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhengtu.documents.services import chinese_date
from zhengtu.orgs.models import Division
from zhengtu.supervision.models import ApprovalStatus, SanctionKind
from zhengtu.supervision.selectors import steps_awaiting
from zhengtu.supervision.services.approvals import approvers_for, decide
from zhengtu.supervision.services.leave import request_leave
from zhengtu.supervision.services.sanctions import propose_sanction

from ..conftest import actor, pending_supervisee, supervised, today
from ..pdf import pdf_text


def _leave(people, world):  # type: ignore[no-untyped-def]
    start = today() + dt.timedelta(days=3)
    return request_leave(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        start_date=start,
        end_date=start + dt.timedelta(days=2),
        destination="长沙市",
        reason="探亲",
    )


def test_the_filer_is_refused_as_approver_and_not_offered_the_step(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = _leave(people, world)
    step = leave.approval.steps.get(order=0)
    assert world.officer_a not in approvers_for(step)
    assert world.colleague_a in approvers_for(step)
    assert not steps_awaiting(world.officer_a).exists()
    assert steps_awaiting(world.colleague_a).filter(request=leave.approval).exists()
    with pytest.raises(PermissionDenied, match="职责分离"):
        decide(actor=actor(world.officer_a), request=leave.approval, approve=True)
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.PENDING
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.APPROVED


def test_the_filer_sees_who_decides_instead_of_a_decision_form(client, login, people, world) -> None:  # type: ignore[no-untyped-def]
    leave = _leave(people, world)
    url = reverse("supervision:approval", args=[leave.approval_id])
    login(client, world.officer_a)
    page = client.get(url).content.decode()
    assert 'data-testid="filer-note"' in page and "职责分离" in page
    assert 'name="decision"' not in page
    # Posting a decision anyway changes nothing.
    client.post(url, {"decision": "approve", "comment": ""})
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.PENDING
    login(client, world.colleague_a)
    assert 'name="decision"' in client.get(url).content.decode()


def test_the_announcement_is_dated_on_the_announcement_day_with_the_division(world) -> None:  # type: ignore[no-untyped-def]
    division = Division.objects.create(code="431224", name="溆浦县", full_name="湖南省怀化市溆浦县")
    supervisee = pending_supervisee(world.office_a, residence_division=division, residence_address="卢峰镇新华路12号")
    announced = today() - dt.timedelta(days=9)
    from zhengtu.supervision.services.intake import register_intake

    document = register_intake(
        actor=actor(world.officer_a),
        supervisee=supervisee,
        reported_on=announced,
        initial_level="standard",
        announced_on=announced,
        announcement_place="卢峰司法所宣告室",
    )
    text = pdf_text(document.pdf.read()).replace("\n", "")
    assert "湖南省怀化市溆浦县卢峰镇新华路12号" in text
    assert text.count(chinese_date(announced)) >= 2  # the announcement date, and the signature under it
    assert chinese_date(today()) not in text


def test_a_decision_does_not_print_the_date_twice(people, world) -> None:  # type: ignore[no-untyped-def]
    occurred = today() - dt.timedelta(days=6)
    facts_date = today() - dt.timedelta(days=12)
    sanction = propose_sanction(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind=SanctionKind.COMMENDATION,
        facts=f"{chinese_date(facts_date)}，该对象见义勇为，救起落水儿童。",
        occurred_on=occurred,
    )
    decide(actor=actor(world.colleague_a), request=sanction.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=sanction.approval, approve=True)
    document = people.supervisee.documents.get(code="supervision.commendation_decision")
    text = pdf_text(document.pdf.read()).replace("\n", "")
    assert f"经查：{chinese_date(facts_date)}，该对象见义勇为" in text
    assert f"经查：{chinese_date(occurred)}" not in text
    other = supervised(world.office_a, world.officer_a)
    plain = propose_sanction(
        actor=actor(world.officer_a),
        supervisee=other,
        kind=SanctionKind.COMMENDATION,
        facts="该对象积极参加公益活动。",
        occurred_on=occurred,
    )
    decide(actor=actor(world.colleague_a), request=plain.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=plain.approval, approve=True)
    text = pdf_text(other.documents.get(code="supervision.commendation_decision").pdf.read()).replace("\n", "")
    assert f"经查：{chinese_date(occurred)}，该对象积极参加公益活动" in text
