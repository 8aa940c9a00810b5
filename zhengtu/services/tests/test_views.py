import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.services.models import ServiceAttachment, ServiceKind, ServiceRecord
from zhengtu.services.services import record_service
from zhengtu.services.tests.conftest import actor, assign, person

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def record(pw, people):
    return record_service(
        actor=actor(pw.worker),
        project=pw.project,
        kind=ServiceKind.EDUCATION,
        held_on=dt.date(2026, 3, 5),
        duration_hours=Decimal("2"),
        topic="宪法学习",
        attendees=people,
        attachments=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )


@pytest.mark.django_db
def test_a_social_worker_records_a_session_on_the_page(client, login, pw, people):
    login(client, pw.worker)
    form = client.get(reverse("services:record_new") + "?kind=education")
    assert form.status_code == 200 and people[0].name in form.content.decode()
    response = client.post(
        reverse("services:record_new"),
        {
            "project": pw.project.pk,
            "kind": "education",
            "mode": "group",
            "held_on": "2026-03-05",
            "duration_hours": "2",
            "topic": "法律常识",
            "attendees": [p.pk for p in people],
            "attachments": [SimpleUploadedFile("签到表.png", PNG, content_type="image/png")],
        },
    )
    record = ServiceRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("services:record", args=[record.pk])
    assert record.attendances.count() == 3 and record.attachments.count() == 1


@pytest.mark.django_db
def test_bad_input_keeps_what_was_typed_and_explains_in_chinese(client, login, pw, people):
    login(client, pw.worker)
    response = client.post(
        reverse("services:record_new"),
        {"project": pw.project.pk, "kind": "education", "mode": "individual", "held_on": "2026-03-05",
         "duration_hours": "2", "topic": "法律常识", "attendees": [p.pk for p in people]},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "个别形式只能有一名社区矫正对象" in body
    assert 'value="法律常识"' in body and not ServiceRecord.objects.exists()
    response = client.post(
        reverse("services:record_new"),
        {"project": pw.project.pk, "kind": "education", "mode": "group", "held_on": "2026-03-05",
         "duration_hours": "2", "topic": "x", "attendees": [p.pk for p in people],
         "attachments": [SimpleUploadedFile("病毒.exe", b"MZ")]},
    )  # fmt: skip
    assert "不是可接受的文件" in response.content.decode() and not ServiceRecord.objects.exists()


@pytest.mark.django_db
def test_ledger_detail_attachment_and_person_pages_for_the_owner(client, login, pw, people, record):
    login(client, pw.worker)
    ledger = client.get(reverse("services:ledger") + f"?project={pw.project.pk}")
    assert ledger.status_code == 200 and "宪法学习" in ledger.content.decode()
    detail = client.get(reverse("services:record", args=[record.pk]))
    assert detail.status_code == 200 and people[0].name in detail.content.decode()
    attachment = ServiceAttachment.objects.get(record=record)
    image = client.get(reverse("services:attachment", args=[attachment.pk]))
    assert image.status_code == 200 and b"".join(image.streaming_content) == PNG
    page = client.get(reverse("services:person", args=[people[0].pk]) + "?month=2026-03")
    body = page.content.decode()
    assert page.status_code == 200 and "宪法学习" in body and "时长不足" in body
    assert AuditEntry.objects.filter(
        action=Action.VIEW, object_id=str(people[0].pk), detail__page="services.person"
    ).exists()
    hours = client.get(reverse("services:hours") + "?month=2026-03&short=1")
    assert hours.status_code == 200 and people[0].name in hours.content.decode()


@pytest.mark.django_db
def test_outsiders_get_404_on_every_page_of_a_record_or_person(client, login, pw, people, record, world):
    attachment = ServiceAttachment.objects.get(record=record)
    login(client, world.officer_b)
    for url in (
        reverse("services:record", args=[record.pk]),
        reverse("services:record_edit", args=[record.pk]),
        reverse("services:record_delete", args=[record.pk]),
        reverse("services:record_note", args=[record.pk]),
        reverse("services:attachment", args=[attachment.pk]),
        reverse("services:person", args=[people[0].pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "宪法学习" not in client.get(reverse("services:ledger")).content.decode()
    assert people[0].name not in client.get(reverse("services:hours") + "?month=2026-03").content.decode()


@pytest.mark.django_db
def test_a_reader_sees_only_the_attendees_they_work_with(client, login, pw, people, record):
    assign(pw.colleague, people[:1])
    login(client, pw.colleague)
    body = client.get(reverse("services:record", args=[record.pk])).content.decode()
    assert people[0].name in body and people[1].name not in body and "另有2名" in body


@pytest.mark.django_db
def test_the_export_is_the_ledger_layout_scoped_and_audited(client, login, pw, people, record, world):
    office_session = record_service(
        actor=actor(world.officer_a),
        kind=ServiceKind.COMMUNITY_SERVICE,
        held_on=dt.date(2026, 3, 6),
        duration_hours=Decimal("3"),
        topic="司法所公益劳动",
        attendees=[person(world.office_a)],
    )
    assign(pw.colleague, people[:1])
    login(client, pw.colleague)
    response = client.get(reverse("services:export") + f"?project={pw.project.pk}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    ledger, attendees = book.worksheets
    assert ledger.cell(1, 1).value.endswith("服务台账")
    rows = [[c.value for c in row] for row in ledger.iter_rows(min_row=4)]
    assert len(rows) == 1 and rows[0][5] == "宪法学习" and rows[0][9] == f"{people[0].name}；另2人"
    assert office_session.topic not in str(rows)
    assert [r[3] for r in attendees.iter_rows(min_row=2, values_only=True)] == [people[0].name]
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_type="services.servicerecord").exists()


@pytest.mark.django_db
def test_editing_and_deleting_on_the_page(client, login, pw, people, record):
    login(client, pw.worker)
    response = client.post(
        reverse("services:record_edit", args=[record.pk]),
        {"mode": "group", "held_on": "2026-03-05", "duration_hours": "2.5", "topic": "宪法学习（修订）",
         "attendees": [people[0].pk, people[1].pk]},
    )  # fmt: skip
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.topic == "宪法学习（修订）" and record.attendances.count() == 2
    login(client, pw.colleague)
    assert client.get(reverse("services:record_edit", args=[record.pk])).status_code == 403
    login(client, pw.worker)
    assert client.post(reverse("services:record_delete", args=[record.pk]), {"reason": "重复录入"}).status_code == 302
    assert not ServiceRecord.objects.exists()


@pytest.mark.django_db
def test_a_prosecutor_refused_the_ledger_cannot_read_a_record_either(client, login, pw, people, record, world):
    """Issue 16 item 14: the procuratorate hangs under the buying bureau, so scope alone let it in."""
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.testing.factories import UserFactory, make_org

    procuratorate = make_org("溆浦县人民检察院", OrganisationKind.PROCURATORATE, pw.project.buying_bureau)
    prosecutor = UserFactory(organisation=procuratorate, role=Role.PROSECUTOR)
    attachment = ServiceAttachment.objects.get(record=record)
    login(client, prosecutor)
    assert client.get(reverse("services:ledger")).status_code == 403
    for url in (reverse("services:record", args=[record.pk]), reverse("services:attachment", args=[attachment.pk])):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "宪法学习" not in response.content.decode()
    api = client.get(reverse("api-service-record", args=[record.pk]))
    assert api.status_code == 404
