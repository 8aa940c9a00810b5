"""Pages and API of appraisals, plan reviews, searches and the other organ's decision: owners work, outsiders 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.supervisees.models import SupervisionLevel
from zhengtu.supervision.models import Appraisal, Attachment, SanctionKind, SearchRecord
from zhengtu.supervision.services.absconding import open_search
from zhengtu.supervision.services.appraisal import record_appraisal
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.sanctions import propose_sanction

from .conftest import actor, today


def _month(offset: int) -> dt.date:
    """The first day of the month `offset` months before this one."""
    first = today().replace(day=1)
    for _ in range(offset):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def _poor_months(people, world) -> Appraisal:  # type: ignore[no-untyped-def]
    record_appraisal(
        actor=actor(world.officer_a), supervisee=people.supervisee, period="month", period_start=_month(1), score=55
    )
    return record_appraisal(
        actor=actor(world.officer_a), supervisee=people.supervisee, period="month", period_start=_month(0), score=50
    )


def _approved_arrest_request(people, world):  # type: ignore[no-untyped-def]
    sanction = propose_sanction(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind=SanctionKind.ARREST,
        facts="多次违反监督管理规定，经警告仍不改正。",
        occurred_on=today() - dt.timedelta(days=3),
        receiving_organ="溆浦县人民法院",
        evidence=[SimpleUploadedFile("证据.txt", "谈话笔录".encode())],
    )
    decide(actor=actor(world.colleague_a), request=sanction.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=sanction.approval, approve=True)
    sanction.refresh_from_db()
    return sanction


@pytest.fixture
def records(people, world):  # type: ignore[no-untyped-def]
    appraisal = _poor_months(people, world)
    search = open_search(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        trigger="not_found",
        lost_contact_at=timezone.now() - dt.timedelta(hours=3),
    )
    return {
        "supervisee": people.supervisee.pk,
        "appraisal": appraisal.pk,
        "search": search.pk,
        "sanction": _approved_arrest_request(people, world).pk,
    }


PAGES = [
    ("supervision:appraisals", "supervisee"),
    ("supervision:plan_reviews", "supervisee"),
    ("supervision:search", "supervisee"),
    ("supervision:sanction_decision", "sanction"),
]


def test_owner_opens_the_pages_and_outsider_gets_404(client, login, world, records) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    for name, key in PAGES:
        assert client.get(reverse(name, args=[records[key]])).status_code == 200, name
    file_page = client.get(reverse("supervision:file", args=[records["supervisee"]])).content.decode()
    assert 'data-testid="open-search"' in file_page  # the search under way shows on the person's file
    login(client, world.officer_b)
    for name, key in [*PAGES, ("supervision:appraisal_apply_level", "appraisal")]:
        url = reverse(name, args=[records[key]])
        if name != "supervision:appraisal_apply_level":
            assert client.get(url).status_code == 404, name
        assert client.post(url, {"score": "90", "findings": "x", "outcome": "granted"}).status_code == 404, name
    assert not Appraisal.objects.filter(score=90).exists()


def test_an_appraisal_is_recorded_on_the_page_with_chinese_errors(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    url = reverse("supervision:appraisals", args=[people.supervisee.pk])
    client.get(url)
    assert AuditEntry.objects.filter(action=Action.VIEW, object_id=str(people.supervisee.pk)).exists()
    bad = client.post(url, {"period": "month", "period_start": _month(0).isoformat(), "score": "120"})
    assert bad.status_code == 200 and "得分应在0到100之间" in bad.content.decode()
    assert not Appraisal.objects.exists()
    quarter = client.post(
        url,
        {
            "period": "quarter",
            "period_start": today().replace(year=today().year - 1, month=2, day=1).isoformat(),
            "score": "90",
        },
    )
    assert quarter.status_code == 200 and "季度" in quarter.content.decode()
    good = client.post(
        url, {"period": "month", "period_start": _month(0).isoformat(), "score": "92", "notes": "表现好"}
    )
    assert good.status_code == 302
    page = client.get(url).content.decode()
    assert "表现好" in page and "92" in page


def test_the_suggested_level_is_applied_as_a_review(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    appraisal = _poor_months(people, world)
    assert appraisal.suggested_level == SupervisionLevel.STRICT
    login(client, world.officer_a)
    page = client.get(reverse("supervision:appraisals", args=[people.supervisee.pk])).content.decode()
    assert reverse("supervision:appraisal_apply_level", args=[appraisal.pk]) in page
    response = client.post(reverse("supervision:appraisal_apply_level", args=[appraisal.pk]))
    assert response.status_code == 302
    people.supervisee.refresh_from_db()
    assert people.supervisee.supervision_level == SupervisionLevel.STRICT
    assert people.supervisee.level_changes.filter(source="review", to_level="strict").exists()
    # Applying twice is refused with a message, nothing changes.
    client.post(reverse("supervision:appraisal_apply_level", args=[appraisal.pk]))
    assert people.supervisee.level_changes.filter(to_level="strict").count() == 1


def test_a_plan_review_changes_the_measures(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    url = reverse("supervision:plan_reviews", args=[people.supervisee.pk])
    empty = client.post(url, {"reviewed_on": today().isoformat(), "findings": " "})
    assert empty.status_code == 200 and "必填项" in empty.content.decode()
    saved = client.post(
        url,
        {"reviewed_on": today().isoformat(), "findings": "就业稳定，思想汇报认真", "plan_changes": "每月一次心理辅导"},
    )
    assert saved.status_code == 302
    people.supervisee.supervision_file.refresh_from_db()
    assert people.supervisee.supervision_file.plan_measures == "每月一次心理辅导"
    assert "就业稳定" in client.get(url).content.decode()


def test_the_organ_decision_is_recorded_on_the_page_with_its_scan(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    sanction = _approved_arrest_request(people, world)
    login(client, world.officer_a)
    file_page = client.get(reverse("supervision:file", args=[people.supervisee.pk])).content.decode()
    url = reverse("supervision:sanction_decision", args=[sanction.pk])
    assert url in file_page
    bad = client.post(url, {"outcome": "granted", "decided_on": today().isoformat(), "decision_number": ""})
    assert bad.status_code == 200 and "必填项" in bad.content.decode()
    scan = SimpleUploadedFile("决定书.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        url,
        {
            "outcome": "refused",
            "decided_on": today().isoformat(),
            "decision_number": "（2026）湘1224刑更7号",
            "attachments": [scan],
        },
    )
    assert response.status_code == 302
    sanction.refresh_from_db()
    assert sanction.decision_outcome == "refused" and sanction.decision_number == "（2026）湘1224刑更7号"
    scans = Attachment.objects.filter(object_id=sanction.pk, in_execution_archive=True, title__startswith="决定书")
    assert scans.count() == 1
    again = client.post(
        url, {"outcome": "granted", "decided_on": today().isoformat(), "decision_number": "（2026）湘1224刑更8号"}
    )
    assert again.status_code == 200 and "已登记" in again.content.decode()


def test_the_filer_of_a_request_to_another_organ_cannot_decide_it(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    sanction = propose_sanction(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind=SanctionKind.SENTENCE_REDUCTION,
        facts="矫正期间表现突出，有立功表现。",
        occurred_on=today() - dt.timedelta(days=3),
        receiving_organ="怀化市中级人民法院",
        evidence=[SimpleUploadedFile("证据.txt", "立功材料".encode())],
    )
    login(client, world.officer_a)
    url = reverse("api-supervision-approval-decision", args=[sanction.approval_id])
    refused = client.post(url, {"decision": "approve"}, content_type="application/json")
    assert refused.status_code == 403 and "职责分离" in refused.content.decode()
    assert b'name="decision"' not in client.get(reverse("supervision:approval", args=[sanction.approval_id])).content
    # Nor can the organ's decision be recorded before the bureau approved the request.
    early = client.post(
        reverse("api-supervision-sanction-decision", args=[sanction.pk]),
        {"outcome": "granted", "decided_on": today().isoformat(), "decision_number": "（2026）湘12刑更1号"},
        content_type="application/json",
    )
    assert early.status_code == 400


def test_appraisals_and_plan_reviews_through_the_api(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    pk = people.supervisee.pk
    url = reverse("api-supervision-appraisals", args=[pk])
    bad = client.post(url, {"period": "week", "period_start": "x", "score": 50}, content_type="application/json")
    assert bad.status_code == 400 and {"period", "period_start"} <= set(bad.json()["errors"])
    for offset, score in ((1, 55), (0, 50)):
        created = client.post(
            url,
            {"period": "month", "period_start": _month(offset).isoformat(), "score": score},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
    assert created.json()["grade"] == "bad" and created.json()["suggested_level"] == "strict"
    assert [a["score"] for a in client.get(url).json()] == [50, 55]
    assert client.get(reverse("api-supervision-appraisal", args=[created.json()["id"]])).json()["score"] == 50
    applied = client.post(reverse("api-supervision-appraisal-apply-level", args=[created.json()["id"]]))
    assert applied.status_code == 200 and applied.json()["level_applied"] is True
    review = client.post(
        reverse("api-supervision-plan-reviews", args=[pk]),
        {
            "reviewed_on": today().isoformat(),
            "findings": "连续两月考核较差",
            "plan_changes": "每周报到，增加走访",
            "appraisal": created.json()["id"],
        },
        content_type="application/json",
    )
    assert review.status_code == 201, review.content
    assert (
        client.get(reverse("api-supervision-plan-reviews", args=[pk])).json()[0]["plan_changes"] == "每周报到，增加走访"
    )


def test_a_search_through_the_api(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    pk = people.supervisee.pk
    url = reverse("api-supervision-searches", args=[pk])
    lost = (timezone.now() - dt.timedelta(hours=30)).isoformat()
    opened = client.post(url, {"trigger": "not_found", "lost_contact_at": lost}, content_type="application/json")
    assert opened.status_code == 201, opened.content
    search = opened.json()
    assert search["alerts"] and "24" in search["alerts"][0]
    twice = client.post(url, {"trigger": "not_found", "lost_contact_at": lost}, content_type="application/json")
    assert twice.status_code == 400 and SearchRecord.objects.filter(supervisee_id=pk).count() == 1
    step = client.post(
        reverse("api-supervision-search-steps", args=[search["id"]]),
        {"kind": "family", "taken_at": timezone.now().isoformat(), "notes": "家属称其外出"},
        content_type="application/json",
    )
    assert step.status_code == 201 and step.json()["steps"][0]["notes"] == "家属称其外出"
    police = client.post(
        reverse("api-supervision-search-police", args=[search["id"]]),
        {"police_station": "卢峰派出所"},
        content_type="application/json",
    )
    assert police.json()["police_station"] == "卢峰派出所"
    legal = client.post(
        reverse("api-supervision-search-close", args=[search["id"]]),
        {"outcome": "legal_step", "notes": "已提请撤销缓刑"},
        content_type="application/json",
    )
    assert legal.status_code == 400 and "next_step" in legal.json()["errors"]
    closed = client.post(
        reverse("api-supervision-search-close", args=[search["id"]]),
        {"outcome": "found", "notes": "已在家中找到"},
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["closed_at"]
    assert client.get(reverse("api-supervision-search", args=[search["id"]])).json()["outcome"] == "found"


def test_an_outsider_gets_404_on_every_new_endpoint(client, login, world, records) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_b)
    endpoints = [
        ("api-supervision-appraisals", "supervisee", "get"),
        ("api-supervision-appraisals", "supervisee", "post"),
        ("api-supervision-plan-reviews", "supervisee", "get"),
        ("api-supervision-plan-reviews", "supervisee", "post"),
        ("api-supervision-searches", "supervisee", "get"),
        ("api-supervision-searches", "supervisee", "post"),
        ("api-supervision-appraisal", "appraisal", "get"),
        ("api-supervision-appraisal-apply-level", "appraisal", "post"),
        ("api-supervision-search", "search", "get"),
        ("api-supervision-search-steps", "search", "post"),
        ("api-supervision-search-police", "search", "post"),
        ("api-supervision-search-close", "search", "post"),
        ("api-supervision-sanction-decision", "sanction", "post"),
    ]
    for name, key, method in endpoints:
        url = reverse(name, args=[records[key]])
        response = (
            client.post(url, {"police_station": "x", "outcome": "found", "notes": "x"}, content_type="application/json")
            if method == "post"
            else client.get(url)
        )
        assert response.status_code == 404, name
    assert SearchRecord.objects.get(pk=records["search"]).police_station == ""


def test_open_search_limits_appear_in_my_tasks(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    open_search(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        trigger="not_found",
        lost_contact_at=timezone.now() - dt.timedelta(hours=50),
    )
    login(client, world.officer_a)
    tasks = client.get(reverse("workspace:tasks")).context["tasks"]
    limits = [task for task in tasks if task.kind == "absconding_limit"]
    assert len(limits) == 2 and all(task.overdue for task in limits)  # no step in 24 h, police not told in 48 h
    login(client, world.officer_b)
    assert not [t for t in client.get(reverse("workspace:tasks")).context["tasks"] if t.kind.startswith("absconding")]
