import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtu.projects import services
from zhengtu.projects.models import SpendingEntry
from zhengtu.projects.tests.conftest import actor
from zhengtu.services.models import ServiceKind
from zhengtu.services.services import record_service


@pytest.fixture
def line(pw):
    return services.save_budget_line(
        actor=actor(pw.manager),
        project=pw.project,
        category="education",
        name="集中教育学习费",
        amount=Decimal("120000"),
    )


@pytest.mark.django_db
def test_projects_targets_and_progress(client, login, pw, people, line):
    login(client, pw.manager)
    assert [p["name"] for p in client.get(reverse("api-projects")).json()["results"]] == [pw.project.name]
    assert client.get(reverse("api-project", args=[pw.project.pk])).json()["agency_name"] == pw.project.agency.name
    created = client.post(
        reverse("api-project-targets", args=[pw.project.pk]),
        {
            "indicator": "education_sessions",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "target_value": 156,
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["indicator_label"] == "教育学习"
    bad = client.post(
        reverse("api-project-targets", args=[pw.project.pk]),
        {
            "indicator": "education_sessions",
            "period_start": "2025-01-01",
            "period_end": "2026-12-31",
            "target_value": 1,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "项目实施期限" in bad.content.decode()
    record_service(
        actor=actor(pw.worker), project=pw.project, kind=ServiceKind.EDUCATION, held_on=dt.date(2026, 3, 2),
        duration_hours=Decimal("2"), topic="宪法", attendees=people,
    )  # fmt: skip
    progress = client.get(reverse("api-project-progress", args=[pw.project.pk])).json()
    (item,) = progress["targets"]
    assert item["actual"] == 1 and item["target_value"] == 156 and item["indicator_label"] == "教育学习"
    assert progress["budget"][0]["allowance"] == "120000.00"


@pytest.mark.django_db
def test_spending_through_the_api(client, login, pw, line):
    login(client, pw.manager)
    url = reverse("api-project-spending", args=[pw.project.pk])
    response = client.post(
        url,
        {"budget_line": line.pk, "spent_on": "2026-03-01", "amount": "2000", "description": "讲课费",
         "vouchers": [SimpleUploadedFile("发票.pdf", b"%PDF-1.4")]},
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["voucher_count"] == 1
    over = client.post(
        url,
        {"budget_line": line.pk, "spent_on": "2026-03-01", "amount": "200000", "description": "超支"},
        content_type="application/json",
    )
    assert over.status_code == 400 and "超支" in over.content.decode()
    assert client.get(url).json()["count"] == 1
    login(client, pw.worker)  # staff, but not a manager
    refused = client.post(
        url,
        {"budget_line": line.pk, "spent_on": "2026-03-01", "amount": "1", "description": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and SpendingEntry.objects.count() == 1


@pytest.mark.django_db
def test_outsiders_get_404_on_every_project_endpoint(client, login, pw, line):
    login(client, pw.outsider)
    assert client.get(reverse("api-projects")).json()["count"] == 0
    for name in ("api-project", "api-project-targets", "api-project-progress", "api-project-spending"):
        assert client.get(reverse(name, args=[pw.project.pk])).status_code == 404, name
    for name in ("api-project-targets", "api-project-spending"):
        assert client.post(reverse(name, args=[pw.project.pk]), {}, content_type="application/json").status_code == 404
