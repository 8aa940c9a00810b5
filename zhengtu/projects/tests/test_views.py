import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.projects import services
from zhengtu.projects.models import AdjustmentStatus, BudgetAdjustment, ServiceProject, SpendingEntry, SpendingVoucher
from zhengtu.projects.reporting import services as reporting
from zhengtu.projects.tests.conftest import actor

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def furnished(pw):
    """The project with a line, a spending entry with a voucher, a target, an adjustment and a report."""
    manager = actor(pw.manager)
    line = services.save_budget_line(
        actor=manager, project=pw.project, category="education", name="集中教育学习费", amount=Decimal("120000")
    )
    entry = services.record_spending(
        actor=manager, line=line, spent_on=dt.date(2026, 3, 1), amount=Decimal("1000"), description="教材",
        vouchers=[SimpleUploadedFile("发票.pdf", b"%PDF-1.4 invoice")],
    )  # fmt: skip
    target = services.set_target(
        actor=manager, project=pw.project, indicator="education_sessions",
        period_start=YEAR[0], period_end=YEAR[1], target_value=156,
    )  # fmt: skip
    adjustment = services.request_adjustment(actor=manager, line=line, amount=Decimal("5000"), reason="增加场次")
    report = reporting.create_report(
        actor=manager,
        project=pw.project,
        kind="monthly",
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 31),
    )
    return {"line": line, "entry": entry, "target": target, "adjustment": adjustment, "report": report}


def project_urls(project, furnished):
    pk = project.pk
    voucher = SpendingVoucher.objects.get(entry=furnished["entry"])
    report = furnished["report"]
    gets = [
        reverse("projects:detail", args=[pk]),
        reverse("projects:edit", args=[pk]),
        reverse("projects:staff", args=[pk]),
        reverse("projects:targets", args=[pk]),
        reverse("projects:target_records", args=[pk, furnished["target"].pk]),
        reverse("projects:budget", args=[pk]),
        reverse("projects:spending", args=[pk]),
        reverse("projects:voucher", args=[pk, voucher.pk]),
        reverse("projects:adjustment_new", args=[pk]),
        reverse("projects:reports", args=[pk]),
        reverse("projects:report", args=[pk, report.pk]),
        reverse("projects:report_draft", args=[pk, report.pk]),
        reverse("projects:report_version", args=[pk, report.pk, 1]),
    ]
    posts = [
        reverse("projects:target_delete", args=[pk, furnished["target"].pk]),
        reverse("projects:adjustment_decide", args=[pk, furnished["adjustment"].pk]),
        reverse("projects:report_finalise", args=[pk, report.pk]),
        reverse("projects:report_reopen", args=[pk, report.pk]),
    ]
    return gets, posts


@pytest.mark.django_db
def test_an_outsider_gets_404_on_every_project_page(client, login, pw, furnished):
    gets, posts = project_urls(pw.project, furnished)
    for user in (pw.outsider, pw.other_agency_manager):
        login(client, user)
        for url in gets:
            assert client.get(url).status_code == 404, url
        for url in posts:
            assert client.post(url, {"decision": "approve"}).status_code == 404, url
        assert pw.project.name not in client.get(reverse("projects:list")).content.decode()
    assert BudgetAdjustment.objects.get().status == AdjustmentStatus.PENDING


@pytest.mark.django_db
def test_staff_who_do_not_manage_can_look_but_not_change(client, login, pw, furnished):
    login(client, pw.worker)
    assert client.get(reverse("projects:detail", args=[pw.project.pk])).status_code == 200
    assert client.get(reverse("projects:edit", args=[pw.project.pk])).status_code == 403
    assert client.get(reverse("projects:report_draft", args=[pw.project.pk, furnished["report"].pk])).status_code == 403
    response = client.post(
        reverse("projects:budget", args=[pw.project.pk]),
        {"save_line": "1", "line-category": "visits", "line-name": "走访", "line-amount": "1"},
    )
    assert response.status_code == 403 and pw.project.budget_lines.count() == 1


@pytest.mark.django_db
def test_the_project_page_shows_progress_budget_and_pending_adjustments(client, login, pw, furnished):
    login(client, pw.bureau)
    body = client.get(reverse("projects:detail", args=[pw.project.pk])).content.decode()
    assert "教育学习" in body and "156" in body and "集中教育学习费" in body and "119,000.00" in body
    assert 'name="decision" value="approve"' in body  # a second person may decide
    login(client, pw.manager)
    body = client.get(reverse("projects:detail", args=[pw.project.pk])).content.decode()
    assert "等待另一人审批" in body


@pytest.mark.django_db
def test_deciding_an_adjustment_on_the_page(client, login, pw, furnished):
    login(client, pw.bureau)
    url = reverse("projects:adjustment_decide", args=[pw.project.pk, furnished["adjustment"].pk])
    assert client.post(url, {"decision": "approve", "note": "同意"}).status_code == 302
    assert BudgetAdjustment.objects.get().status == AdjustmentStatus.APPROVED


@pytest.mark.django_db
def test_booking_spending_with_vouchers_and_reading_a_voucher(client, login, pw, furnished):
    login(client, pw.manager)
    url = reverse("projects:spending", args=[pw.project.pk])
    response = client.post(
        url,
        {"budget_line": furnished["line"].pk, "spent_on": "2026-03-02", "amount": "500000", "description": "超支测试"},
    )
    assert "请先申请预算调整并经他人审批通过" in response.content.decode()
    response = client.post(
        url,
        {"budget_line": furnished["line"].pk, "spent_on": "2026-03-02", "amount": "800", "description": "场地费",
         "voucher_number": "记-12", "vouchers": [SimpleUploadedFile("收据.jpg", b"\xff\xd8\xff"), SimpleUploadedFile("收据2.png", b"\x89PNG")]},
    )  # fmt: skip
    assert response.status_code == 302
    entry = SpendingEntry.objects.get(description="场地费")
    assert entry.vouchers.count() == 2
    voucher = entry.vouchers.first()
    download = client.get(reverse("projects:voucher", args=[pw.project.pk, voucher.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\xff\xd8\xff"
    assert AuditEntry.objects.filter(action=Action.VIEW, detail__voucher=voucher.pk).exists()
    late = client.post(
        url, {"add_vouchers": "1", "entry": entry.pk, "vouchers": [SimpleUploadedFile("补发票.pdf", b"%PDF")]}
    )
    assert late.status_code == 302 and entry.vouchers.count() == 3
    client.post(url, {"add_vouchers": "1", "entry": entry.pk, "vouchers": [SimpleUploadedFile("宏.docm", b"x")]})
    assert entry.vouchers.count() == 3


@pytest.mark.django_db
def test_a_bureau_creates_a_project_on_the_page(client, login, world):
    login(client, world.bureau_a)
    response = client.post(
        reverse("projects:create"),
        {"name": "溆浦县2027年项目", "buying_bureau": world.county_a.pk, "agency": world.agency_a.pk,
         "period_start": "2027-01-01", "period_end": "2026-12-31", "contract_amount": "890980", "status": "active"},
    )  # fmt: skip
    assert "项目截止日期不能早于起始日期" in response.content.decode()
    response = client.post(
        reverse("projects:create"),
        {"name": "溆浦县2027年项目", "buying_bureau": world.county_a.pk, "agency": world.agency_a.pk,
         "period_start": "2027-01-01", "period_end": "2027-12-31", "contract_amount": "890980", "status": "active"},
    )  # fmt: skip
    project = ServiceProject.objects.get(name="溆浦县2027年项目")
    assert response["Location"] == reverse("projects:detail", args=[project.pk])


@pytest.mark.django_db
def test_staff_and_targets_pages(client, login, pw, world):
    login(client, pw.manager)
    response = client.post(
        reverse("projects:staff", args=[pw.project.pk]),
        {"add_credential": "1", "credential-user": pw.worker.pk, "credential-kind": "social_worker",
         "credential-number": "SW2019-0001", "credential-expires_on": "2030-12-31"},
    )  # fmt: skip
    assert response.status_code == 302
    body = client.get(reverse("projects:staff", args=[pw.project.pk])).content.decode()
    assert "SW2019-0001" in body and "社会工作师" in body
    response = client.post(
        reverse("projects:targets", args=[pw.project.pk]),
        {
            "indicator": "psychological_tests",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "target_value": "250",
        },
    )
    assert response.status_code == 302 and pw.project.kpi_targets.get().target_value == 250


@pytest.mark.django_db
def test_a_huge_kpi_target_is_refused_in_chinese_and_progress_keeps_working(client, login, pw):
    """Issue 16 item 15: a 30-digit target was a 500, and a huge stored one broke everyone's progress."""
    login(client, pw.manager)
    response = client.post(
        reverse("projects:targets", args=[pw.project.pk]),
        {
            "indicator": "education_sessions",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "target_value": "1" + "0" * 29,
        },
    )
    assert response.status_code == 200 and "目标不能超过" in response.content.decode()
    api = client.post(
        reverse("api-project-targets", args=[pw.project.pk]),
        {"indicator": "education_sessions", "period_start": "2026-01-01", "period_end": "2026-12-31",
         "target_value": 2**63 - 1},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 400
    # A target stored before the bound existed still lets the progress page and API answer.
    services.set_target(
        actor=actor(pw.manager), project=pw.project, indicator="education_sessions",
        period_start=YEAR[0], period_end=YEAR[1], target_value=156,
    )  # fmt: skip
    from zhengtu.projects.models import KpiTarget

    KpiTarget.objects.update(target_value=2**31 - 1)  # the largest the column holds on PostgreSQL too
    assert client.get(reverse("projects:detail", args=[pw.project.pk])).status_code == 200
    assert client.get(reverse("api-project-progress", args=[pw.project.pk])).status_code == 200
