"""The other approval kinds through the one engine: limits, levels, documents, expiry, the generic entry points."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from zhengtu.supervisees.models import SentenceType
from zhengtu.supervision.approval_kinds import file_request, registry
from zhengtu.supervision.models import ApprovalKind, ApprovalLevel, ApprovalStatus, PermitKind
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.permits import permits_in_force, request_permit

from ..conftest import actor, supervised, today
from ..pdf import pdf_text


def _approve(permit, world) -> None:  # type: ignore[no-untyped-def]
    for approver in (world.colleague_a, world.bureau_a)[: permit.approval.steps.count()]:
        decide(actor=actor(approver), request=permit.approval, approve=True, comment="同意")
    permit.approval.refresh_from_db()


def _cross_city(people, world, months: int = 6):  # type: ignore[no-untyped-def]
    start = today() + dt.timedelta(days=1)
    end = start + dt.timedelta(days=30 * months - 10)
    return request_permit(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind=PermitKind.CROSS_CITY,
        subject="怀化市鹤城区、长沙市",
        reason="在怀化、长沙两地经营物流生意，需经常往返",
        start_date=start,
        end_date=end,
    )


def test_every_approval_kind_is_registered_with_a_form_limits_and_a_document() -> None:
    kinds = registry()
    assert set(ApprovalKind.values) <= set(kinds)
    for spec in kinds.values():
        assert spec.limits() and spec.documents and spec.form() is not None


def test_a_cross_city_approval_is_in_force_for_its_period_and_then_expires(people, world) -> None:  # type: ignore[no-untyped-def]
    permit = _cross_city(people, world)
    assert [s.level for s in permit.approval.steps.all()] == [ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU]
    assert not permits_in_force(people.supervisee, PermitKind.CROSS_CITY, permit.start_date).exists()
    _approve(permit, world)
    assert permit.approval.status == ApprovalStatus.APPROVED
    assert permits_in_force(people.supervisee, PermitKind.CROSS_CITY, permit.start_date).exists()
    assert permits_in_force(people.supervisee, PermitKind.CROSS_CITY, permit.end_date).exists()
    day_after = permit.end_date + dt.timedelta(days=1)
    assert not permits_in_force(people.supervisee, PermitKind.CROSS_CITY, day_after).exists()
    assert not permit.in_force_on(day_after)
    document = people.supervisee.documents.get(code="supervision.cross_city_approval")
    assert document.number.startswith("溆司矫跨〔")
    assert "社区矫正对象经常性跨市县活动审批表" in pdf_text(document.pdf.read())


def test_a_cross_city_approval_lasts_at_most_six_months(people, world) -> None:  # type: ignore[no-untyped-def]
    start = today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        request_permit(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            kind=PermitKind.CROSS_CITY,
            subject="长沙市",
            reason="务工",
            start_date=start,
            end_date=start + dt.timedelta(days=200),
        )
    assert "end_date" in error.value.message_dict
    with override_settings(ZHENGTU_PERMIT_RULES={"cross_city": {"max_months": 12}}):
        permit = request_permit(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            kind=PermitKind.CROSS_CITY,
            subject="长沙市",
            reason="务工",
            start_date=start,
            end_date=start + dt.timedelta(days=200),
        )
    assert permit.approval.status == ApprovalStatus.PENDING


def test_prohibition_order_exceptions_need_a_prohibition_order(world) -> None:  # type: ignore[no-untyped-def]
    without = supervised(world.office_a, world.officer_a)
    start = today() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        request_permit(
            actor=actor(world.officer_a),
            supervisee=without,
            kind=PermitKind.PROHIBITED_PLACE,
            subject="县城网吧",
            reason="—",
            start_date=start,
            end_date=start,
        )
    assert "kind" in error.value.message_dict
    bound = supervised(world.office_a, world.officer_a, prohibition_order="禁止进入娱乐场所；禁止接触被害人")
    permit = request_permit(
        actor=actor(world.officer_a),
        supervisee=bound,
        kind=PermitKind.PROHIBITED_CONTACT,
        subject="被害人李某",
        reason="参加法院组织的民事调解",
        start_date=start,
        end_date=start,
    )
    _approve(permit, world)
    text = pdf_text(bound.documents.get(code="supervision.prohibited_contact_approval").pdf.read())
    assert "接触特定人员审批表" in text and "被害人李某" in text


def test_a_medical_review_extension_only_concerns_temporary_execution_outside_prison(world) -> None:  # type: ignore[no-untyped-def]
    start = today() + dt.timedelta(days=2)
    arguments = {
        "kind": PermitKind.MEDICAL_EXTENSION,
        "subject": "溆浦县人民医院",
        "reason": "住院治疗，无法按期复查",
        "start_date": start,
        "end_date": start + dt.timedelta(days=20),
    }
    probation = supervised(world.office_a, world.officer_a)
    with pytest.raises(ValidationError):
        request_permit(actor=actor(world.officer_a), supervisee=probation, **arguments)  # type: ignore[arg-type]
    outside = supervised(world.office_a, world.officer_a, sentence_type=SentenceType.OUTSIDE_PRISON)
    with pytest.raises(ValidationError):  # longer than the 30 days of one extension
        request_permit(
            actor=actor(world.officer_a),
            supervisee=outside,
            **{**arguments, "end_date": start + dt.timedelta(days=45)},  # type: ignore[arg-type]
        )
    permit = request_permit(actor=actor(world.officer_a), supervisee=outside, **arguments)  # type: ignore[arg-type]
    _approve(permit, world)
    assert permit.approval.status == ApprovalStatus.APPROVED


def test_a_visitor_permit_is_decided_by_the_office_and_a_move_updates_the_residence(people, world) -> None:  # type: ignore[no-untyped-def]
    start = today() + dt.timedelta(days=1)
    visit = request_permit(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind=PermitKind.VISITOR,
        subject="同案人王某之父",
        reason="商谈赔偿事宜",
        start_date=start,
        end_date=start,
    )
    assert [s.level for s in visit.approval.steps.all()] == [ApprovalLevel.OFFICE]
    move = file_request(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind=PermitKind.RESIDENCE_CHANGE,
        data={"subject": "卢峰镇", "new_address": "卢峰镇沿江路8号", "start_date": start.isoformat(), "reason": "购房"},
    )
    _approve(move, world)
    people.supervisee.refresh_from_db()
    assert people.supervisee.residence_address == "卢峰镇沿江路8号"


def test_the_generic_entry_point_refuses_bad_input_with_field_messages(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        file_request(actor=actor(world.officer_a), supervisee=people.supervisee, kind="nonsense", data={})
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        file_request(actor=actor(world.officer_a), supervisee=people.supervisee, kind="cross_city", data={})
    assert {"subject", "reason", "end_date"} <= set(error.value.message_dict)
    assert not people.supervisee.permits.exists()


def test_the_api_lists_kinds_and_files_a_request_the_filer_cannot_decide(client, login, people, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    kinds = {k["kind"]: k for k in client.get(reverse("api-supervision-approval-kinds")).json()}
    assert "cross_city" in kinds and "6" in kinds["cross_city"]["limits"]
    start = today() + dt.timedelta(days=1)
    url = reverse("api-supervision-requests", args=[people.supervisee.pk])
    bad = client.post(url, {"kind": "cross_city", "subject": "长沙"}, content_type="application/json")
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    created = client.post(
        url,
        {
            "kind": "cross_city",
            "subject": "长沙",
            "reason": "务工",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=90)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    decision = reverse("api-supervision-approval-decision", args=[created.json()["id"]])
    assert client.post(decision, {"decision": "approve"}, content_type="application/json").status_code == 403
    login(client, world.officer_b)
    assert client.post(url, {"kind": "visitor"}, content_type="application/json").status_code == 404


def test_the_request_page_of_a_kind_files_it(client, login, people, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    url = reverse("supervision:request", args=[people.supervisee.pk, "cross_city"])
    page = client.get(url).content.decode()
    assert "经常性跨市县活动" in page and "6" in page
    start = today() + dt.timedelta(days=1)
    response = client.post(
        url,
        {
            "subject": "长沙市",
            "reason": "务工",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert people.supervisee.permits.get().kind == "cross_city"
    assert client.get(reverse("supervision:request", args=[people.supervisee.pk, "sanction"])).status_code == 404
    login(client, world.officer_b)
    assert client.get(url).status_code == 404
