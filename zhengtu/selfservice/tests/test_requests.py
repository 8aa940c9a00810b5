"""Requests from the phone go through the approval engine's own forms, services and limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhengtu.selfservice.models import AppRequest, AppRequestStatus
from zhengtu.supervision.models import ApprovalKind, ApprovalStatus, LeaveRequest

pytestmark = pytest.mark.django_db


def _leave(client, **overrides):  # type: ignore[no-untyped-def]
    start = timezone.localdate() + dt.timedelta(days=3)
    data = {
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=2)).isoformat(),
        "destination": "长沙市岳麓区",
        "reason": "探望住院的母亲",
        **overrides,
    }
    return client.post(
        reverse("selfservice:request_new", args=[ApprovalKind.LEAVE]), data, HTTP_ACCEPT="application/json"
    )


def test_the_app_offers_the_kinds_of_the_engine_but_not_staff_only_ones(app_client) -> None:  # type: ignore[no-untyped-def]
    page = app_client.get(reverse("selfservice:requests")).content.decode()
    assert reverse("selfservice:request_new", args=[ApprovalKind.LEAVE]) in page
    assert reverse("selfservice:request_new", args=[ApprovalKind.MONITORING]) not in page
    assert app_client.get(reverse("selfservice:request_new", args=[ApprovalKind.SANCTION])).status_code == 404


def test_leave_from_the_phone_is_filed_by_the_officer_and_the_person_sees_the_steps(
    app_client, me, world, login
) -> None:  # type: ignore[no-untyped-def]
    response = _leave(app_client)
    assert response.status_code == 201, response.content
    item = AppRequest.objects.get()
    assert item.status == AppRequestStatus.SUBMITTED
    officer = Client()
    login(officer, world.officer_a)
    assert reverse("appstaff:request", args=[item.pk]) in officer.get("/tasks/").content.decode()
    officer.post(reverse("appstaff:request", args=[item.pk]), {"action": "file"})
    item.refresh_from_db()
    assert item.status == AppRequestStatus.FILED
    leave = LeaveRequest.objects.get(supervisee=me)
    assert leave.approval == item.approval
    assert item.approval.status == ApprovalStatus.PENDING
    page = app_client.get(reverse("selfservice:requests")).content.decode()
    assert world.office_a.name in page  # the first step, at the justice office


def test_bad_input_gets_the_forms_chinese_messages_and_nothing_is_stored(app_client) -> None:  # type: ignore[no-untyped-def]
    response = _leave(app_client, destination="", start_date="not a date")
    assert response.status_code == 400
    assert response.json()["errors"].keys() >= {"destination", "start_date"}
    assert not AppRequest.objects.exists()


def test_the_officer_returns_a_request_with_a_reason(app_client, world, login) -> None:  # type: ignore[no-untyped-def]
    _leave(app_client)
    item = AppRequest.objects.get()
    officer = Client()
    login(officer, world.officer_a)
    officer.post(reverse("appstaff:request", args=[item.pk]), {"action": "return", "reason": "请补充医院证明"})
    item.refresh_from_db()
    assert item.status == AppRequestStatus.RETURNED
    assert "请补充医院证明" in app_client.get(reverse("selfservice:requests")).content.decode()


def test_an_outsider_cannot_see_or_file_the_request(app_client, world, login) -> None:  # type: ignore[no-untyped-def]
    _leave(app_client)
    item = AppRequest.objects.get()
    outsider = Client()
    login(outsider, world.officer_b)
    assert outsider.get(reverse("appstaff:request", args=[item.pk])).status_code == 404
    assert outsider.post(reverse("appstaff:request", args=[item.pk]), {"action": "file"}).status_code == 404
    item.refresh_from_db()
    assert item.status == AppRequestStatus.SUBMITTED
