"""Lecturer pool: booking, QR sign-in on the phone, evaluation, hours in the services rule, scope."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.services.hours import monthly_hours

from ..models import GroupAttendance
from ..services import groups


def book(lw):  # type: ignore[no-untyped-def]
    lecturer = groups.add_lecturer(
        actor=lw.staff(),
        organisation=lw.world.county_a,
        name="周法官",
        profession="judge",
        topics="法律常识",
        phone="13800138000",
    )
    return groups.book_session(
        actor=lw.staff(),
        organisation=lw.world.county_a,
        lecturer=lecturer,
        topic="以案说法",
        starts_at=timezone.now(),
        hours=Decimal("2.0"),
        place="县矫正中心",
    )


def test_qr_sign_in_counts_hours_and_takes_an_evaluation(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    session = book(lw)
    client.force_login(lw.person_user)
    url = reverse("learning_app:sign_in", args=[groups.sign_in_token(session)])
    assert client.get(url).status_code == 200
    client.post(url)
    client.post(url, {"rating": "5", "comment": "很实用"})
    attendance = GroupAttendance.objects.get(session=session, supervisee=lw.person)
    assert attendance.rating == 5
    (hours,) = monthly_hours([lw.person], timezone.localdate())
    assert hours.actual["study"] == Decimal("2.0")
    login(client, lw.world.bureau_a)
    pool = client.get(reverse("learning:lecturers")).content.decode()
    assert "138****8000" in pool and "13800138000" not in pool and "5.0" in pool
    detail = client.get(reverse("learning:group_session", args=[session.pk])).content.decode()
    assert lw.person.name in detail and "<svg" in detail


def test_a_forged_token_and_outsiders_get_nothing(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    from .conftest import with_account

    session = book(lw)
    client.force_login(lw.person_user)
    assert client.get(reverse("learning_app:sign_in", args=[f"{session.pk}-forged"])).status_code == 404
    client.force_login(with_account(lw.outsider_person))
    client.post(reverse("learning_app:sign_in", args=[groups.sign_in_token(session)]))
    assert not GroupAttendance.objects.filter(session=session).exists()
    login(client, lw.outsider)
    assert client.get(reverse("learning:group_session", args=[session.pk])).status_code == 404
    assert "周法官" not in client.get(reverse("learning:lecturers")).content.decode()
    assert "以案说法" not in client.get(reverse("learning:group_sessions")).content.decode()


def test_a_group_session_is_one_ledger_session_of_its_project_without_double_hours(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from zhengtu.projects import indicators
    from zhengtu.projects import services as projects
    from zhengtu.services.models import RecordSource, ServiceRecord

    today = timezone.localdate()
    project = projects.create_project(
        actor=lw.staff(),
        name="溆浦县购买服务项目",
        buying_bureau=lw.world.county_a,
        agency=lw.world.agency_a,
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=300),
        contract_amount=Decimal("100000"),
    )
    session = book(lw)
    session.project = project
    session.save()
    for user, person in ((lw.person_user, lw.person), (lw.neighbour_user, lw.neighbour)):
        groups.sign_in(actor=Actor(user=user), supervisee=person, token=groups.sign_in_token(session))
    groups.sign_in(actor=lw.me(), supervisee=lw.person, token=groups.sign_in_token(session))  # twice: still once
    (record,) = ServiceRecord.objects.filter(source=RecordSource.LEARNING)
    assert record.project == project and record.kind == "education" and record.pool_lecturer == session.lecturer
    assert sorted(a.supervisee_id for a in record.attendances.all()) == sorted([lw.person.pk, lw.neighbour.pk])
    first, last = today - dt.timedelta(days=30), today + dt.timedelta(days=1)
    assert indicators.measure(project, "education_sessions", first, last) == 1  # 教育学习 场次
    (hours,) = monthly_hours([lw.person], today)
    assert hours.actual["study"] == Decimal("2.0")  # counted by the ledger, not a second time by learning
    login(client, lw.world.bureau_a)
    page = client.get(reverse("learning:group_session", args=[session.pk])).content.decode()
    assert reverse("services:record", args=[record.pk]) in page
    ledger = client.get(reverse("services:record", args=[record.pk])).content.decode()
    assert "周法官" in ledger and "讲师团" in ledger


def test_the_ledger_form_offers_only_the_pool_of_ones_own_county(lw) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.services.forms import ServiceRecordForm

    session = book(lw)
    mine = ServiceRecordForm(user=lw.world.bureau_a).fields["pool_lecturer"].queryset  # type: ignore[attr-defined]
    theirs = ServiceRecordForm(user=lw.world.officer_b).fields["pool_lecturer"].queryset  # type: ignore[attr-defined]
    assert session.lecturer in mine and session.lecturer not in theirs


def _png(colour: str = "red") -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_photos_of_a_session_are_kept_privately_and_bad_files_refused(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhengtu.audit.models import AuditEntry

    session = book(lw)
    login(client, lw.world.bureau_a)
    upload = reverse("learning:group_session_photos", args=[session.pk])
    photos = [
        SimpleUploadedFile(f"{n}.png", _png(c), content_type="image/png") for n, c in (("a", "red"), ("b", "blue"))
    ]
    client.post(upload, {"photos": photos})
    page = client.get(reverse("learning:group_session", args=[session.pk])).content.decode()
    shown = [p.pk for p in session.photos.all()]
    assert len(shown) == 2
    for pk in shown:
        assert reverse("learning:group_session_photo", args=[session.pk, pk]) in page
    served = client.get(reverse("learning:group_session_photo", args=[session.pk, shown[0]]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content).startswith(b"\xff\xd8")  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(detail__file="group_session_photo").exists()
    # A document dressed as a photo, beside a good photo: refused in Chinese, and neither is stored.
    fake = SimpleUploadedFile("c.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    good = SimpleUploadedFile("d.png", _png(), content_type="image/png")
    answer = client.post(upload, {"photos": [good, fake]}, follow=True).content.decode()
    assert "有文件不是照片" in answer and session.photos.count() == 2
    # Outsiders: no page, no photo, no upload.
    login(client, lw.outsider)
    assert client.get(reverse("learning:group_session_photo", args=[session.pk, shown[0]])).status_code == 404
    client.post(upload, {"photos": [SimpleUploadedFile("e.png", _png(), content_type="image/png")]})
    assert session.photos.count() == 2


def test_deleting_the_ledger_record_takes_the_hours_off_everywhere(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from zhengtu.accounts.roles import Role
    from zhengtu.projects import services as projects
    from zhengtu.services.models import RecordSource, ServiceRecord
    from zhengtu.testing.factories import UserFactory

    today = timezone.localdate()
    session = book(lw)
    session.project = projects.create_project(
        actor=lw.staff(),
        name="溆浦县购买服务项目",
        buying_bureau=lw.world.county_a,
        agency=lw.world.agency_a,
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=300),
        contract_amount=Decimal("100000"),
    )
    session.save()
    groups.sign_in(actor=lw.me(), supervisee=lw.person, token=groups.sign_in_token(session))
    (record,) = ServiceRecord.objects.filter(source=RecordSource.LEARNING)
    assert monthly_hours([lw.person], today)[0].actual["study"] == Decimal("2.0")
    # The agency's project manager deletes it in the ledger, whose page promises the hours leave every attendee.
    login(client, UserFactory(organisation=lw.world.agency_a, role=Role.AGENCY_MANAGER))
    deleted = client.post(reverse("services:record_delete", args=[record.pk]), {"reason": "重复录入"})
    assert deleted.status_code == 302
    assert not ServiceRecord.objects.filter(pk=record.pk).exists()
    (hours,) = monthly_hours([lw.person], today)
    assert hours.actual.get("study", Decimal(0)) == Decimal(0)  # not counted again by learning instead
    # A late sign-in is kept as attendance but writes no new record and no hours.
    groups.sign_in(actor=Actor(user=lw.neighbour_user), supervisee=lw.neighbour, token=groups.sign_in_token(session))
    assert GroupAttendance.objects.filter(session=session).count() == 2
    assert not ServiceRecord.objects.filter(source=RecordSource.LEARNING).exists()
    assert monthly_hours([lw.neighbour], today)[0].actual.get("study", Decimal(0)) == Decimal(0)
    login(client, lw.world.bureau_a)
    page = client.get(reverse("learning:group_session", args=[session.pk])).content.decode()
    assert "台账记录已被删除" in page
