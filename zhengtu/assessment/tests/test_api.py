"""/api/v1/assessment/: instruments, assessments with scores and levels, report status and download."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from zhengtu.audit.models import AuditEntry

from ..models import Assessment, Instrument
from ..services.assessments import take_assessment
from ..services.reports import issue_report
from .conftest import Case
from .test_scoring import INTAKE_ANSWERS

BASE = "/api/v1/assessment"


@pytest.fixture
def api(client: Client, login: Any, case: Case) -> Client:
    login(client, case.officer)
    return client


def test_instruments_are_listed_with_their_questions(api: Client, instruments: dict[str, Instrument]) -> None:
    listing = api.get(f"{BASE}/instruments/").json()
    codes = {row["code"]: row for row in listing["results"]}
    assert set(codes) == {"phq9", "gad7", "scl90", "intake_example"}
    assert codes["intake_example"]["is_example"] is True and codes["scl90"]["has_placeholder_texts"] is True
    detail = api.get(f"{BASE}/instruments/{instruments['phq9'].pk}/").json()
    assert [q["name"] for q in detail["questions"]] == [f"phq{n}" for n in range(1, 11)]
    assert detail["questions"][0]["choices"][3] == {"name": "3", "label": "几乎每天"}


def test_create_an_assessment_and_get_scores_and_levels(api: Client, case: Case) -> None:
    response = api.post(
        f"{BASE}/assessments/",
        {
            "supervisee": case.supervisee.pk,
            "instrument": "intake_example",
            "answers": INTAKE_ANSWERS,
            "received_on": "2026-09-30",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total_score"], body["level"], body["level_label"]) == (13, "medium", "中风险")
    assert body["recommended_supervision_level"] == "standard"
    assert [n["label"] for n in body["needs"]] == ["教育与就业", "经济状况"]
    assert len(body["domains"]) == 10
    assert body["due_on"] == "2026-10-10" and body["due_is_approximate"] is False
    assert body["report"]["status"] == "pending" and body["report"]["overdue"] is True


def test_bad_answers_are_refused_per_question_and_nothing_is_saved(api: Client, case: Case) -> None:
    response = api.post(
        f"{BASE}/assessments/",
        {"supervisee": case.supervisee.pk, "instrument": "phq9", "answers": {"phq1": "7"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]["answers"]
    assert errors["phq1"] == ["“7”不是可选答案。"]
    assert errors["phq2"] == ["此题必须回答。"]
    assert not Assessment.objects.exists()


def test_a_draft_through_the_api(api: Client, case: Case) -> None:
    response = api.post(
        f"{BASE}/assessments/",
        {"supervisee": case.supervisee.pk, "instrument": "gad7", "answers": {"gad1": "2"}, "submit": False},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft" and response.json()["answers"] == {"gad1": "2"}


def test_outsiders_cannot_create_read_or_download(
    client: Client, login: Any, case: Case, instruments: dict[str, Instrument]
) -> None:
    assessment = take_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["intake_example"], answers=INTAKE_ANSWERS
    )
    issue_report(actor=case.actor(), assessment=assessment)
    login(client, case.outsider)
    created = client.post(
        f"{BASE}/assessments/",
        {"supervisee": case.supervisee.pk, "instrument": "phq9", "answers": {}},
        content_type="application/json",
    )
    assert created.status_code == 400 and "supervisee" in created.json()["errors"]
    for url in (
        f"{BASE}/assessments/{assessment.pk}/",
        f"{BASE}/assessments/{assessment.pk}/report/",
        f"{BASE}/assessments/{assessment.pk}/report/pdf/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"{BASE}/assessments/").json()["count"] == 0


def test_report_status_and_download(api: Client, case: Case, instruments: dict[str, Instrument]) -> None:
    assessment = take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["intake_example"],
        answers=INTAKE_ANSWERS,
        received_on=dt.date(2026, 9, 30),
    )
    status = api.get(f"{BASE}/assessments/{assessment.pk}/report/").json()
    assert status["status"] == "pending" and status["docx_url"] == ""
    issue_report(actor=case.actor(), assessment=assessment)
    status = api.get(f"{BASE}/assessments/{assessment.pk}/report/").json()
    assert status["status"] == "issued" and status["number"].startswith("矫评")
    download = api.get(status["pdf_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="export", detail__api=True).exists()
    read = api.get(f"{BASE}/assessments/{assessment.pk}/")
    assert read.json()["level_label"] == "中风险"
    assert AuditEntry.objects.filter(action="view", object_id=str(assessment.pk), detail__api=True).exists()


def test_unauthenticated_calls_are_refused(client: Client, instruments: dict[str, Instrument]) -> None:
    assert client.get(f"{BASE}/instruments/").status_code in (401, 403)
