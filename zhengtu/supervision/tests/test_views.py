"""Pages: what an officer and a bureau head see and do; outsiders get 404 on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.supervisees.models import Status
from zhengtu.supervision.models import ApprovalStatus, DueKind
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.attachments import attach_files
from zhengtu.supervision.services.leave import request_leave
from zhengtu.supervision.services.monitoring import request_monitoring

from .conftest import actor, pending_supervisee, today


@pytest.fixture
def objects(people, world):  # type: ignore[no-untyped-def]
    supervisee = people.supervisee
    leave = request_leave(
        actor=actor(world.officer_a),
        supervisee=supervisee,
        start_date=today() + dt.timedelta(days=1),
        end_date=today() + dt.timedelta(days=3),
        destination="长沙",
        reason="办事",
    )
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    monitoring = request_monitoring(
        actor=actor(world.officer_a),
        supervisee=supervisee,
        situation="police_penalty",
        facts="受到治安管理处罚",
        start_date=today(),
        end_date=today() + dt.timedelta(days=30),
    )
    decide(actor=actor(world.bureau_a), request=monitoring.approval, approve=True)
    attachment = attach_files(
        actor=actor(world.officer_a),
        supervisee=supervisee,
        uploads=[SimpleUploadedFile("笔录.txt", "谈话笔录".encode())],
    )[0]
    return {
        "supervisee": supervisee.pk,
        "leave": leave.pk,
        "approval": leave.approval_id,
        "monitoring": monitoring.pk,
        "member": supervisee.team_members.get().pk,
        "attachment": attachment.pk,
    }


PAGES = [
    ("supervision:file", "supervisee"),
    ("supervision:documents_received", "supervisee"),
    ("supervision:intake", "supervisee"),
    ("supervision:team", "supervisee"),
    ("supervision:plan", "supervisee"),
    ("supervision:level", "supervisee"),
    ("supervision:check_in", "supervisee"),
    ("supervision:visit", "supervisee"),
    ("supervision:leave", "supervisee"),
    ("supervision:leave_return", "leave"),
    ("supervision:transfer", "supervisee"),
    ("supervision:monitoring", "supervisee"),
    ("supervision:monitoring_extend", "monitoring"),
    ("supervision:sanction", "supervisee"),
    ("supervision:release", "supervisee"),
    ("supervision:archive", "supervisee"),
    ("supervision:attachment", "attachment"),
    ("supervision:approval", "approval"),
]
POST_ONLY = [
    ("supervision:team_remove", "member"),
    ("supervision:approval_withdraw", "approval"),
]


def test_the_owner_opens_every_page(client, login, world, objects) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    for name, key in PAGES:
        assert client.get(reverse(name, args=[objects[key]])).status_code == 200, name


def test_an_outsider_gets_404_on_every_page(client, login, world, objects) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_b)
    for name, key in PAGES + POST_ONLY:
        url = reverse(name, args=[objects[key]])
        if (name, key) not in POST_ONLY:
            assert client.get(url).status_code == 404, name
        assert client.post(url, {"decision": "approve", "comment": "x"}).status_code == 404, name


def test_outsiders_get_404_on_the_archive_export(client, login, world, objects) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_b)
    url = reverse("supervision:archive_export", args=[objects["supervisee"], "execution"])
    assert client.post(url).status_code == 404
    assert not world.officer_b.jobs.exists()


def test_the_file_page_is_audited_and_shows_the_work(client, login, world, objects) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.get(reverse("supervision:file", args=[objects["supervisee"]]))
    assert AuditEntry.objects.filter(action=Action.VIEW, object_id=str(objects["supervisee"])).exists()
    content = response.content.decode()
    assert "卢峰司法所宣告室" in content
    assert reverse("documents:pdf", args=[response.context["documents"][0].pk]) in content


def test_an_officer_registers_an_intake_on_the_page(client, login, world) -> None:  # type: ignore[no-untyped-def]
    supervisee = pending_supervisee(world.office_a)
    login(client, world.officer_a)
    url = reverse("supervision:intake", args=[supervisee.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "reported_on": today().isoformat(),
        "initial_level": "standard",
        "announced_on": today().isoformat(),
        "announcement_place": "卢峰司法所",
        "correction_plan": "每月思想汇报",
        "team-TOTAL_FORMS": "2",
        "team-INITIAL_FORMS": "0",
        "team-0-role": "officer",
        "team-0-name": world.officer_a.display_name,
        "team-1-role": "volunteer",
        "team-1-name": "王志愿",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    supervisee.refresh_from_db()
    assert supervisee.status == Status.UNDER_SUPERVISION
    assert supervisee.team_members.count() == 2
    assert supervisee.documents.filter(code="supervision.intake_announcement").exists()


def test_a_second_intake_on_the_page_shows_the_refusal(client, login, world, objects) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.post(
        reverse("supervision:intake", args=[objects["supervisee"]]),
        {
            "reported_on": today().isoformat(),
            "initial_level": "standard",
            "announced_on": today().isoformat(),
            "announcement_place": "卢峰司法所",
            "team-TOTAL_FORMS": "0",
            "team-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "不能" in response.content.decode()


def test_bad_dates_keep_the_valid_part_of_the_form(client, login, world, objects) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.post(
        reverse("supervision:leave", args=[objects["supervisee"]]),
        {"start_date": "2026-13-40", "end_date": today().isoformat(), "destination": "岳阳市", "reason": "探亲"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "岳阳市" in content and "探亲" in content


def test_the_approver_decides_on_the_page(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    leave = request_leave(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        start_date=today() + dt.timedelta(days=2),
        end_date=today() + dt.timedelta(days=13),
        destination="广州",
        reason="务工面试",
    )
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    url = reverse("supervision:approval", args=[leave.approval_id])
    login(client, world.officer_a)
    assert b'name="decision"' not in client.get(url).content
    login(client, world.bureau_a)
    assert b'name="decision"' in client.get(url).content
    response = client.post(url, {"decision": "reject", "comment": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"decision": "approve", "comment": "同意"})
    assert response.status_code == 302
    leave.approval.refresh_from_db()
    assert leave.approval.status == ApprovalStatus.APPROVED


def test_the_archive_export_is_a_job_whose_pdf_downloads_for_its_owner_and_is_audited(
    client, login, world, objects
) -> None:  # type: ignore[no-untyped-def]
    login(client, world.bureau_a)
    url = reverse("supervision:archive_export", args=[objects["supervisee"], "execution"])
    assert client.get(url).status_code == 405  # making a bundle is an action, never a link a crawler follows
    response = client.post(url)
    job = world.bureau_a.jobs.get(kind="supervision.archive_export")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    result = reverse("supervision:archive_export_result", args=[job.pk])
    assert 'data-status="done"' in page and f'id="job-result" href="{result}"' in page
    assert AuditEntry.objects.filter(
        action=Action.EXPORT, object_id=str(objects["supervisee"]), detail__archive="execution"
    ).exists()
    download = client.get(result)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        action=Action.EXPORT, object_id=str(objects["supervisee"]), detail__job=job.pk
    ).exists()
    # Only the person who asked opens the job and its bundle: a colleague and an outsider get 404.
    for other in (world.officer_a, world.officer_b):
        login(client, other)
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(result).status_code == 404


def test_a_check_in_with_a_scan_is_recorded_on_the_page(client, login, world, objects) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    scan = SimpleUploadedFile("汇报.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        reverse("supervision:check_in", args=[objects["supervisee"]]),
        {
            "kind": "written_report",
            "channel": "written",
            "occurred_on": today().isoformat(),
            "content": "",
            "attachments": [scan],
        },
    )
    assert response.status_code == 302


def test_my_tasks_lists_overdue_check_ins_and_decisions(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    request_leave(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        start_date=today() + dt.timedelta(days=2),
        end_date=today() + dt.timedelta(days=4),
        destination="怀化",
        reason="复查",
    )
    assert people.supervisee.due_items.filter(kind=DueKind.CHECK_IN, due_on__lt=today()).exists()
    login(client, world.colleague_a)
    response = client.get(reverse("workspace:tasks"))
    kinds = {task.kind for task in response.context["tasks"]}
    assert {"approval_pending", "supervision_checkin"} <= kinds
    login(client, world.officer_b)
    assert not client.get(reverse("workspace:tasks")).context["tasks"]


def test_the_dashboard_filters_and_lists_only_the_scope(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    other = pending_supervisee(world.office_b)
    login(client, world.officer_a)
    response = client.get(reverse("supervision:dashboard"), {"overdue": "on"})
    names = [row[0].name for row in response.context["rows"]]
    assert people.supervisee.name in names and other.name not in names


def test_release_page_refuses_before_the_end_of_the_term(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    url = reverse("supervision:release", args=[people.supervisee.pk])
    client.post(url, {"step": "prepare", "prepare-self_summary": "总结", "prepare-appraisal": "良好"})
    response = client.post(
        url, {"step": "complete", "complete-released_on": today().isoformat(), "complete-announcement_place": "所"}
    )
    assert response.status_code == 200
    assert people.supervisee.term_end.isoformat() in response.content.decode()


def test_a_social_worker_cannot_open_the_termination_page(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    assert client.get(reverse("supervision:terminate", args=[people.supervisee.pk])).status_code == 403


def test_an_approximate_deadline_is_flagged_on_screen(client, login, world) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.supervision.services.intake import record_documents_received

    # The test database has no working-day calendar at all: every deadline is counted on Monday–Friday.
    supervisee = pending_supervisee(world.office_a)
    supervision_file = record_documents_received(
        actor=actor(world.officer_a), supervisee=supervisee, received_on=today()
    )
    assert supervision_file.reporting_deadline_approximate
    login(client, world.officer_a)
    content = client.get(reverse("supervision:file", args=[supervisee.pk])).content.decode()
    assert "估算：节假日安排尚未公布" in content
