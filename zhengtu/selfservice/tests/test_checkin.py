"""Check-in from the phone: live photo + position, checked on the server, accepted or flagged, never dropped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.faces import samples
from zhengtu.monitoring.models import FenceKind, FenceShape, Position
from zhengtu.monitoring.services import create_fence
from zhengtu.selfservice.models import AppCheckIn, CheckInChallenge, CheckInFlag, CheckInStatus
from zhengtu.supervision.models import CheckIn, CheckInChannel
from zhengtu.workspace.models import Notification

pytestmark = pytest.mark.django_db

HOME = (27.9087, 110.5960)


def _challenge(client) -> str:  # type: ignore[no-untyped-def]
    response = client.post(reverse("selfservice:checkin_challenge"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()["nonce"]


def _submit(client, nonce, *, photo=None, accuracy=15.0, position=HOME, key=None, **extra):  # type: ignore[no-untyped-def]
    data = {
        "nonce": nonce,
        "latitude": str(position[0]),
        "longitude": str(position[1]),
        "accuracy": str(accuracy),
        "photo": SimpleUploadedFile("c.jpg", photo or samples.first_person_variant(), content_type="image/jpeg"),
        **extra,
    }
    headers = {"HTTP_ACCEPT": "application/json"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(reverse("selfservice:checkin_submit"), data, **headers)


def test_the_right_face_is_accepted_into_the_ledger_and_the_monitoring_track(app_client, me) -> None:  # type: ignore[no-untyped-def]
    response = _submit(app_client, _challenge(app_client))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == CheckInStatus.ACCEPTED
    assert body["similarity"] >= 0.5
    assert body["message"] == "报告已通过。"
    check_in = AppCheckIn.objects.get()
    entry = CheckIn.objects.get(supervisee=me)
    assert entry.channel == CheckInChannel.APP
    assert check_in.ledger_entry == entry
    assert check_in.forwarded_to_monitoring
    assert Position.objects.filter(supervisee_id=me.pk).count() == 1
    page = app_client.get(body["redirect"])
    assert "已通过" in page.content.decode()


def test_another_face_is_stored_flagged_and_the_officer_is_told(app_client, me, world) -> None:  # type: ignore[no-untyped-def]
    response = _submit(app_client, _challenge(app_client), photo=samples.second_person())
    assert response.status_code == 201
    check_in = AppCheckIn.objects.get()
    assert check_in.status == CheckInStatus.FLAGGED
    assert check_in.flags == [CheckInFlag.FACE_MISMATCH]
    assert not CheckIn.objects.filter(supervisee=me).exists()
    assert Notification.objects.filter(recipient=world.officer_a, kind="app_checkin_flagged").exists()
    assert "核实" in response.json()["message"]


def test_the_officer_accepts_a_flagged_check_in_with_a_reason(app_client, client, login, me, world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    _submit(app_client, _challenge(app_client), photo=samples.second_person())
    check_in = AppCheckIn.objects.get()
    officer = Client()
    login(officer, world.officer_a)
    page = officer.get(reverse("appstaff:check_in", args=[check_in.pk]))
    assert page.status_code == 200
    assert f"{check_in.face_check.similarity_percent}%" in page.content.decode()
    refused = officer.post(reverse("appstaff:check_in", args=[check_in.pk]), {"reason": " "}, follow=True)
    assert "理由" in refused.content.decode()
    officer.post(reverse("appstaff:check_in", args=[check_in.pk]), {"reason": "戴口罩，已电话核实"})
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.ACCEPTED_AFTER_REVIEW
    assert check_in.ledger_entry is not None and "戴口罩" in check_in.ledger_entry.content
    assert AuditEntry.objects.filter(action=Action.APPROVE, object_id=str(check_in.pk)).exists()


def test_a_used_code_is_refused_and_nothing_more_is_stored(app_client) -> None:  # type: ignore[no-untyped-def]
    nonce = _challenge(app_client)
    assert _submit(app_client, nonce).status_code == 201
    again = _submit(app_client, nonce)
    assert again.status_code == 400
    assert "已使用" in again.json()["error"]
    assert AppCheckIn.objects.count() == 1


def test_a_replay_with_the_same_key_returns_the_stored_answer(app_client) -> None:  # type: ignore[no-untyped-def]
    nonce = _challenge(app_client)
    first = _submit(app_client, nonce, key="outbox-key-0001")
    again = _submit(app_client, nonce, key="outbox-key-0001")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert AppCheckIn.objects.count() == 1


def test_a_late_capture_is_flagged_stale_not_dropped(app_client, me) -> None:  # type: ignore[no-untyped-def]
    nonce = _challenge(app_client)
    CheckInChallenge.objects.filter(nonce=nonce).update(issued_at=timezone.now() - dt.timedelta(minutes=30))
    response = _submit(app_client, nonce)
    assert response.status_code == 201
    assert AppCheckIn.objects.get().flags == [CheckInFlag.STALE]


def test_poor_accuracy_is_flagged(app_client) -> None:  # type: ignore[no-untyped-def]
    _submit(app_client, _challenge(app_client), accuracy=1500)
    assert AppCheckIn.objects.get().flags == [CheckInFlag.POOR_ACCURACY]


def test_outside_the_permitted_area_is_flagged(app_client, me, world) -> None:  # type: ignore[no-untyped-def]
    create_fence(
        actor=None,
        organisation=world.office_a,
        supervisee=me,
        name="居所",
        kind=FenceKind.INCLUSION,
        shape=FenceShape.CIRCLE,
        center_latitude=28.5,
        center_longitude=111.0,
        radius_m=500,
    )
    _submit(app_client, _challenge(app_client))
    check_in = AppCheckIn.objects.get()
    assert check_in.flags == [CheckInFlag.OUTSIDE_AREA]
    assert "居所" in check_in.area_note


@pytest.mark.parametrize(
    ("photo", "message"),
    [(samples.no_face(), "人脸"), (samples.both_people(), "人脸"), (b"not a photo at all", "照片")],
)
def test_no_face_two_faces_or_no_photo_are_refused_and_nothing_is_stored(app_client, photo, message) -> None:  # type: ignore[no-untyped-def]
    response = _submit(app_client, _challenge(app_client), photo=photo)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not AppCheckIn.objects.exists()


def test_missing_location_is_refused(app_client) -> None:  # type: ignore[no-untyped-def]
    response = _submit(app_client, _challenge(app_client), position=("", ""))
    assert response.status_code == 400
    assert "位置" in response.json()["error"]


def test_the_officer_sees_the_app_check_in_on_the_file_and_an_outsider_does_not(
    app_client, client, login, me, world
) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    _submit(app_client, _challenge(app_client))
    check_in = AppCheckIn.objects.get()
    officer = Client()
    login(officer, world.officer_a)
    panel = officer.get(reverse("appstaff:file_panel", args=[me.pk]))
    text = panel.content.decode()
    assert f"{check_in.face_check.similarity_percent}%" in text
    assert reverse("faces:check_photo", args=[check_in.face_check_id]) in text
    assert reverse("faces:registry_photo", args=[me.pk]) in text
    assert officer.get(reverse("appstaff:check_in_map", args=[check_in.pk])).status_code == 200
    outsider = Client()
    login(outsider, world.officer_b)
    for url in (
        reverse("appstaff:file_panel", args=[me.pk]),
        reverse("appstaff:check_in", args=[check_in.pk]),
        reverse("appstaff:check_in_map", args=[check_in.pk]),
    ):
        assert outsider.get(url).status_code == 404


def test_the_file_page_loads_the_app_panel(client, login, me, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    page = client.get(reverse("supervision:file", args=[me.pk]))
    assert reverse("appstaff:file_panel", args=[me.pk]) in page.content.decode()


def test_a_flagged_check_in_is_in_the_officers_tasks(app_client, client, login, world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    _submit(app_client, _challenge(app_client), photo=samples.second_person())
    officer = Client()
    login(officer, world.officer_a)
    tasks = officer.get("/tasks/").content.decode()
    assert reverse("appstaff:check_in", args=[AppCheckIn.objects.get().pk]) in tasks
