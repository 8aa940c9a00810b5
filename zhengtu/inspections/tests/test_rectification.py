"""Rectification items: owner, due date, evidence; overdue ones show in the agency's "my tasks"."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhengtu.inspections.models import RectificationItem, RectificationStatus
from zhengtu.inspections.services import findings as services
from zhengtu.inspections.tasks import tasks_for
from zhengtu.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db


def photo(name="整改照片.jpg"):
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0 jpeg", "image/jpeg")


@pytest.fixture
def item(iw):
    finding = services.add_finding(
        actor=iw.aw.admin_actor, inspection=iw.inspection_a, kind="problem", text="服务台账记录不完整"
    )
    return services.create_rectification(
        actor=iw.aw.admin_actor,
        inspection=iw.inspection_a,
        description="补齐2026年上半年服务台账",
        finding=finding,
        owner=iw.aw.manager_a,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )


def make_overdue(item, days=3):
    RectificationItem.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - dt.timedelta(days=days))
    item.refresh_from_db()


def test_an_overdue_item_shows_in_the_agency_managers_tasks(client, login, iw, item):
    make_overdue(item)
    login(client, iw.aw.manager_a)
    page = client.get(reverse("workspace:tasks"))
    html = page.content.decode()
    assert "补齐2026年上半年服务台账" in html
    assert iw.aw.project_a.name in html
    [task] = [t for t in tasks_for(iw.aw.manager_a) if t.kind == "rectification_due"]
    assert task.overdue and task.due == item.due_on
    login(client, iw.aw.manager_b)
    assert "补齐2026年上半年服务台账" not in client.get(reverse("workspace:tasks")).content.decode()


def test_items_far_from_due_stay_off_the_task_list_and_closed_ones_leave_it(iw, item):
    assert not [t for t in tasks_for(iw.aw.manager_a) if t.kind == "rectification_due"]
    make_overdue(item)
    services.close_rectification(actor=iw.aw.admin_actor, item=item, closing_note="已补齐", files=[photo()])
    assert not [t for t in tasks_for(iw.aw.manager_a) if t.kind == "rectification_due"]


def test_the_default_due_date_counts_working_days(iw):
    item = services.create_rectification(
        actor=iw.aw.admin_actor, inspection=iw.inspection_a, description="完善考勤制度"
    )
    assert item.due_on == add_working_days(timezone.localdate(), 20).due


def test_closing_needs_a_note_and_evidence(iw, item):
    with pytest.raises(ValidationError):
        services.close_rectification(actor=iw.aw.admin_actor, item=item, closing_note="已完成")
    with pytest.raises(ValidationError):
        services.close_rectification(actor=iw.aw.admin_actor, item=item, closing_note=" ", files=[photo()])
    with pytest.raises(ValidationError):
        services.close_rectification(
            actor=iw.aw.admin_actor, item=item, closing_note="已完成", files=[photo("病毒.exe")]
        )
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and not item.evidence.exists()


def test_the_agency_closes_with_evidence_and_the_association_can_reopen(client, login, iw, item):
    login(client, iw.aw.manager_a)
    url = reverse("inspections:rectification-close", args=[item.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"closing_note": "已补齐台账并经司法所确认", "attachments": [photo(), photo("台账.pdf")]})
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED and item.evidence.count() == 2
    evidence = item.evidence.first()
    assert client.get(reverse("inspections:evidence-download", args=[evidence.pk])).status_code == 200
    assert (
        client.post(
            reverse("inspections:rectification-reopen", args=[item.pk]), {"reason": "x", "due_on": "2099-01-01"}
        ).status_code
        == 404
    )
    login(client, iw.aw.admin)
    client.post(
        reverse("inspections:rectification-reopen", args=[item.pk]),
        {"reason": "台账仍缺5月份记录", "due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat()},
    )
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN


def test_other_agencies_and_panel_outsiders_cannot_touch_the_item(client, login, iw, item):
    for user in (iw.aw.manager_b, iw.aw.other_manager, iw.aw.other_admin):
        login(client, user)
        url = reverse("inspections:rectification-close", args=[item.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"closing_note": "x", "attachments": [photo()]}).status_code == 404
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN


def test_the_owner_must_work_for_the_agency(iw):
    with pytest.raises(ValidationError):
        services.create_rectification(
            actor=iw.aw.admin_actor, inspection=iw.inspection_a, description="x", owner=iw.aw.manager_b
        )


def test_an_inspector_gets_a_scoring_task(iw):
    from zhengtu.inspections.services import rounds

    from .conftest import seat_panel

    seat_panel(iw, "第一组", iw.inspectors[:2], [iw.inspection_a])
    seat_panel(iw, "第二组", [iw.inspectors[2]], [iw.inspection_b, iw.inspection_city])
    rounds.start_round(actor=iw.aw.admin_actor, inspection_round=iw.round)
    tasks = [t for t in tasks_for(iw.inspectors[0].user) if t.kind == "inspection_scoring"]
    assert [t.subject for t in tasks] == [iw.aw.project_a.name]
