"""Written reports with photos and a voice note; messages both ways, scoped, never between supervisees."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.faces import samples
from zhengtu.selfservice.models import Message, WrittenReport
from zhengtu.supervision.models import CheckIn, CheckInChannel, CheckInKind
from zhengtu.workspace.models import Notification

pytestmark = pytest.mark.django_db

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 200  # the EBML header MediaRecorder's webm starts with


def _report(client, **fields):  # type: ignore[no-untyped-def]
    return client.post(reverse("selfservice:reports"), fields, HTTP_ACCEPT="application/json")


def test_a_report_with_photo_and_voice_enters_the_ledger_and_the_officer_listens(app_client, me, world, login) -> None:  # type: ignore[no-untyped-def]
    response = _report(
        app_client,
        text="本月按时上班，参加了社区服务。",
        photos=[SimpleUploadedFile("p.jpg", samples.first_person(), content_type="image/jpeg")],
        voice=SimpleUploadedFile("v.webm", WEBM, content_type="audio/webm"),
        voice_seconds="12",
    )
    assert response.status_code == 201, response.content
    report = WrittenReport.objects.get()
    assert report.voice_note and report.photos.count() == 1
    entry = CheckIn.objects.get(supervisee=me)
    assert (entry.kind, entry.channel) == (CheckInKind.WRITTEN_REPORT, CheckInChannel.APP)
    assert Notification.objects.filter(recipient=world.officer_a, kind="app_report").exists()
    officer = Client()
    login(officer, world.officer_a)
    panel = officer.get(reverse("appstaff:file_panel", args=[me.pk])).content.decode()
    voice_url = reverse("appstaff:report_file", args=[report.pk, "voice"])
    assert voice_url in panel and "<audio" in panel
    heard = officer.get(voice_url)
    assert heard.status_code == 200 and heard["Content-Type"] == "audio/webm"
    assert AuditEntry.objects.filter(action=Action.VIEW, detail__file="report_voice").exists()
    outsider = Client()
    login(outsider, world.officer_b)
    assert outsider.get(voice_url).status_code == 404


def test_an_empty_report_or_a_fake_voice_note_is_refused_and_nothing_stored(app_client) -> None:  # type: ignore[no-untyped-def]
    assert "写" in _report(app_client, text="  ").json()["error"]
    fake = _report(
        app_client, text="x", voice=SimpleUploadedFile("v.webm", b"MZ\x90 not audio", content_type="audio/webm")
    )
    assert fake.status_code == 400
    not_photo = _report(app_client, text="x", photos=[SimpleUploadedFile("p.jpg", b"nope", content_type="image/jpeg")])
    assert not_photo.status_code == 400
    assert not WrittenReport.objects.exists()
    assert not CheckIn.objects.exists()


def test_a_report_replayed_from_the_outbox_is_stored_once(app_client) -> None:  # type: ignore[no-untyped-def]
    for _attempt in range(2):
        response = app_client.post(
            reverse("selfservice:reports"),
            {"text": "离线时写的汇报"},
            HTTP_ACCEPT="application/json",
            HTTP_IDEMPOTENCY_KEY="report-key-123",
        )
        assert response.status_code == 201
    assert WrittenReport.objects.count() == 1


def test_messages_go_both_ways(app_client, me, world, login) -> None:  # type: ignore[no-untyped-def]
    sent = app_client.post(reverse("selfservice:messages"), {"body": "我想请假回老家"}, HTTP_ACCEPT="application/json")
    assert sent.status_code == 201
    assert Notification.objects.filter(recipient=world.officer_a, kind="app_message").exists()
    officer = Client()
    login(officer, world.officer_a)
    thread = officer.get(reverse("appstaff:messages", args=[me.pk])).content.decode()
    assert "我想请假回老家" in thread
    officer.post(reverse("appstaff:messages", args=[me.pk]), {"body": "请在手机上提交外出申请"})
    page = app_client.get(reverse("selfservice:messages")).content.decode()
    assert "请在手机上提交外出申请" in page
    assert Message.objects.filter(from_supervisee=False).get().read_at is not None
    assert AuditEntry.objects.filter(action=Action.VIEW, detail__page="app_messages").exists()


def test_no_messaging_between_supervisees_and_no_outsiders(app_client, me, other, world, login) -> None:  # type: ignore[no-untyped-def]
    Message.objects.create(supervisee=other, author=other.user, from_supervisee=True, body="别人的消息")
    page = app_client.get(reverse("selfservice:messages")).content.decode()
    assert "别人的消息" not in page
    # The app only ever writes to the person's own thread: nothing in the form names a recipient.
    app_client.post(reverse("selfservice:messages"), {"body": "hi", "supervisee": other.pk})
    assert Message.objects.filter(supervisee=other).count() == 1
    outsider = Client()
    login(outsider, world.officer_b)
    assert outsider.get(reverse("appstaff:messages", args=[me.pk])).status_code == 404
    assert outsider.post(reverse("appstaff:messages", args=[me.pk]), {"body": "x"}).status_code == 404
    assert not Message.objects.filter(supervisee=me, author=world.officer_b).exists()
