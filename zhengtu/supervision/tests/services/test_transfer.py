"""Transfer of the place of execution: approved at home, accepted by the receiving bureau, then handed over."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhengtu.supervisees.selectors import supervisees_visible_to
from zhengtu.supervision.models import ApprovalLevel
from zhengtu.supervision.selectors import approval_requests_visible_to
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.transfer import request_transfer

from ..conftest import actor


def test_the_receiving_bureau_accepts_and_the_person_is_handed_over(people, world) -> None:  # type: ignore[no-untyped-def]
    transfer = request_transfer(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        to_office=world.office_b,
        new_address="辰溪县辰阳镇某路1号",
        reason="随家人迁居辰溪县",
    )
    levels = [s.level for s in transfer.approval.steps.all()]
    assert levels == [ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU, ApprovalLevel.RECEIVING_BUREAU]
    # The receiving bureau sees the request before the person is theirs, but not the person.
    assert transfer.approval in approval_requests_visible_to(people.bureau_b)
    assert people.supervisee not in supervisees_visible_to(people.bureau_b)
    decide(actor=actor(world.colleague_a), request=transfer.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=transfer.approval, approve=True)
    decide(actor=actor(people.bureau_b), request=transfer.approval, approve=True, comment="同意接收")
    people.supervisee.refresh_from_db()
    assert people.supervisee.responsible_office == world.office_b
    assert people.supervisee in supervisees_visible_to(world.officer_b)
    assert people.supervisee not in supervisees_visible_to(world.officer_a)


def test_a_transfer_within_the_same_county_is_refused(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        request_transfer(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            to_office=world.office_a2,
            new_address="桥江镇",
            reason="搬家",
        )
    assert "to_office" in error.value.message_dict
