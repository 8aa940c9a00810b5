import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhengtu.association.models import MemberKind, MembershipStatus
from zhengtu.association.services import members as services

pytestmark = pytest.mark.django_db


def _apply(aw, **fields):
    defaults = {"kind": MemberKind.UNIT, "name": "溆浦县阳光社会工作服务中心", "organisation": aw.base.agency_a}
    defaults.update(fields)
    return services.apply_for_membership(actor=aw.admin_actor, association=aw.association, **defaults)


def test_approval_gives_a_member_number_per_kind_and_year(aw):
    unit = _apply(aw)
    person = _apply(aw, kind=MemberKind.INDIVIDUAL, name="李芳", user=aw.base.social_worker_a, organisation=None)
    second_unit = _apply(aw, name="辰溪县启明社会工作服务中心", organisation=aw.agency_b)
    services.decide_membership(actor=aw.admin_actor, membership=unit, approve=True, on_date=dt.date(2026, 3, 1))
    services.decide_membership(actor=aw.admin_actor, membership=person, approve=True, on_date=dt.date(2026, 3, 1))
    services.decide_membership(actor=aw.admin_actor, membership=second_unit, approve=True, on_date=dt.date(2026, 3, 2))
    assert (unit.member_number, second_unit.member_number) == ("HY-U-2026-0001", "HY-U-2026-0002")
    assert person.member_number == "HY-I-2026-0001"
    assert unit.status == MembershipStatus.ACTIVE and unit.joined_on == dt.date(2026, 3, 1)


def test_rejection_needs_a_reason_and_is_final(aw):
    membership = _apply(aw)
    with pytest.raises(ValidationError):
        services.decide_membership(actor=aw.admin_actor, membership=membership, approve=False)
    services.decide_membership(actor=aw.admin_actor, membership=membership, approve=False, note="材料不全")
    with pytest.raises(ValidationError):
        services.change_membership_status(
            actor=aw.admin_actor, membership=membership, status=MembershipStatus.ACTIVE, note="x"
        )


def test_one_open_application_or_membership_per_applicant(aw):
    _apply(aw)
    with pytest.raises(ValidationError):
        _apply(aw)


def test_credit_code_is_checked(aw):
    with pytest.raises(ValidationError) as error:
        _apply(aw, credit_code="123")
    assert "credit_code" in error.value.message_dict
    assert _apply(aw, credit_code="52431224MJJ1234567").credit_code == "52431224MJJ1234567"


def test_suspension_and_return(aw):
    membership = _apply(aw)
    services.decide_membership(actor=aw.admin_actor, membership=membership, approve=True)
    services.change_membership_status(
        actor=aw.admin_actor, membership=membership, status=MembershipStatus.SUSPENDED, note="未缴会费"
    )
    services.change_membership_status(
        actor=aw.admin_actor, membership=membership, status=MembershipStatus.ACTIVE, note="已补缴"
    )
    assert membership.status == MembershipStatus.ACTIVE
