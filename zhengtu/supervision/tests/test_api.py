"""/api/v1/supervision/: the same rules as the pages; outsiders get 404 on every endpoint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.supervisees.models import Status
from zhengtu.supervision.models import ApprovalStatus

from .conftest import pending_supervisee, today


def _leave(client, pk: int, days: int = 10, offset: int = 1):  # type: ignore[no-untyped-def]
    start = today() + dt.timedelta(days=offset)
    return client.post(
        reverse("api-supervision-leave-requests", args=[pk]),
        {
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=days - 1)).isoformat(),
            "destination": "长沙市",
            "reason": "探亲",
        },
        content_type="application/json",
    )


def test_intake_through_the_api(client, login, world) -> None:  # type: ignore[no-untyped-def]
    supervisee = pending_supervisee(world.office_a)
    login(client, world.officer_a)
    url = reverse("api-supervision-intake", args=[supervisee.pk])
    response = client.post(
        url,
        {
            "reported_on": today().isoformat(),
            "initial_level": "strict",
            "announced_on": today().isoformat(),
            "announcement_place": "卢峰司法所",
            "team": [{"role": "officer", "name": "舒志勇"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "supervision.intake_announcement"
    supervisee.refresh_from_db()
    assert supervisee.status == Status.UNDER_SUPERVISION
    # A second intake is a forbidden status change: 400 with the state machine's message.
    again = client.post(
        url,
        {
            "reported_on": today().isoformat(),
            "initial_level": "strict",
            "announced_on": today().isoformat(),
            "announcement_place": "所",
        },
        content_type="application/json",
    )
    assert again.status_code == 400
    assert "“" in again.json()["detail"]  # the state machine's message names both statuses


def test_bad_input_gets_field_messages(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.post(
        reverse("api-supervision-check-ins", args=[people.supervisee.pk]),
        {"kind": "selfie", "channel": "app", "occurred_on": "yesterday"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "kind" in str(body) and "occurred_on" in str(body)


def test_check_ins_and_visits(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    pk = people.supervisee.pk
    created = client.post(
        reverse("api-supervision-check-ins", args=[pk]),
        {"kind": "checkin", "channel": "phone", "occurred_on": today().isoformat(), "content": "电话报告"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert client.get(reverse("api-supervision-check-ins", args=[pk])).json()[0]["content"] == "电话报告"
    visit = client.post(
        reverse("api-supervision-visits", args=[pk]),
        {"kind": "routine", "visited_on": today().isoformat(), "place": "家中", "notes": "正常"},
        content_type="application/json",
    )
    assert visit.status_code == 201
    summary = client.get(reverse("api-supervision-file", args=[pk])).json()
    assert summary["status"] == "under_supervision" and summary["file"]["reported_on"]
    assert AuditEntry.objects.filter(action=Action.VIEW, object_id=str(pk)).exists()


def test_a_ten_day_leave_needs_the_county_bureau_through_the_api(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = _leave(client, people.supervisee.pk)
    assert response.status_code == 201
    approval = response.json()["approval"]
    assert [s["level"] for s in approval["steps"]] == ["office", "county_bureau"]
    decision_url = reverse("api-supervision-approval-decision", args=[approval["id"]])
    # Separation of duties: the filer is refused, with the reason, and is not listed as an approver.
    refused = client.post(decision_url, {"decision": "approve"}, content_type="application/json")
    assert refused.status_code == 403 and "职责分离" in refused.content.decode()
    assert client.get(reverse("api-supervision-approvals"), {"awaiting": "1"}).json() == []
    login(client, world.colleague_a)
    assert (
        client.post(decision_url, {"decision": "approve"}, content_type="application/json").json()["status"]
        == "pending"
    )
    assert client.post(decision_url, {"decision": "approve"}, content_type="application/json").status_code == 403
    login(client, world.bureau_a)
    awaiting = client.get(reverse("api-supervision-approvals"), {"awaiting": "1"}).json()
    assert [a["id"] for a in awaiting] == [approval["id"]]
    rejected = client.post(decision_url, {"decision": "reject", "comment": ""}, content_type="application/json")
    assert rejected.status_code == 400 and "comment" in rejected.json()["errors"]
    decided = client.post(decision_url, {"decision": "approve", "comment": "同意"}, content_type="application/json")
    assert decided.json()["status"] == ApprovalStatus.APPROVED


def test_monitoring_without_a_situation_is_refused_through_the_api(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.post(
        reverse("api-supervision-monitoring", args=[people.supervisee.pk]),
        {
            "situation": "",
            "facts": "x",
            "start_date": today().isoformat(),
            "end_date": (today() + dt.timedelta(days=10)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "situation" in response.json()["errors"]


def test_sanctions_and_release_and_termination(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    pk = people.supervisee.pk
    commendation = client.post(
        reverse("api-supervision-sanctions", args=[pk]),
        {"kind": "commendation", "facts": "见义勇为", "occurred_on": today().isoformat()},
        content_type="application/json",
    )
    assert commendation.status_code == 201
    early = client.post(
        reverse("api-supervision-release", args=[pk]),
        {"released_on": today().isoformat(), "announcement_place": "所"},
        content_type="application/json",
    )
    assert early.status_code == 400
    login(client, world.bureau_a)
    terminated = client.post(
        reverse("api-supervision-termination", args=[pk]),
        {"reason": "death", "effective_on": today().isoformat()},
        content_type="application/json",
    )
    assert terminated.status_code == 201
    again = client.post(
        reverse("api-supervision-termination", args=[pk]),
        {"reason": "death", "effective_on": today().isoformat()},
        content_type="application/json",
    )
    assert again.status_code == 400


ENDPOINTS = [
    ("api-supervision-file", "get"),
    ("api-supervision-documents-received", "post"),
    ("api-supervision-intake", "post"),
    ("api-supervision-check-ins", "get"),
    ("api-supervision-check-ins", "post"),
    ("api-supervision-visits", "get"),
    ("api-supervision-visits", "post"),
    ("api-supervision-leave-requests", "get"),
    ("api-supervision-leave-requests", "post"),
    ("api-supervision-monitoring", "get"),
    ("api-supervision-monitoring", "post"),
    ("api-supervision-sanctions", "get"),
    ("api-supervision-sanctions", "post"),
    ("api-supervision-release-prepare", "post"),
    ("api-supervision-release", "post"),
    ("api-supervision-termination", "post"),
]


def test_an_outsider_gets_404_on_every_endpoint(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    approval_id = _leave(client, people.supervisee.pk).json()["approval"]["id"]
    login(client, world.officer_b)
    for name, method in ENDPOINTS:
        url = reverse(name, args=[people.supervisee.pk])
        response = (
            getattr(client, method)(url, {}, content_type="application/json") if method == "post" else client.get(url)
        )
        assert response.status_code == 404, name
    assert client.get(reverse("api-supervision-approval", args=[approval_id])).status_code == 404
    decision = client.post(
        reverse("api-supervision-approval-decision", args=[approval_id]),
        {"decision": "approve"},
        content_type="application/json",
    )
    assert decision.status_code == 404
    assert client.get(reverse("api-supervision-approvals")).json() == []


@pytest.mark.parametrize("user_key", ["social_worker_a"])
def test_unassigned_social_workers_see_nothing(client, login, world, people, user_key) -> None:  # type: ignore[no-untyped-def]
    login(client, getattr(world, user_key))
    assert client.get(reverse("api-supervision-file", args=[people.supervisee.pk])).status_code == 404
