"""Counselling notes are read only by the counsellor and the project's supervisor (督导)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import Action, AuditEntry
from zhengtu.services.models import CounsellingNote, ServiceKind, ServiceMode
from zhengtu.services.services import read_counselling_note, record_service
from zhengtu.services.tests.conftest import actor, assign
from zhengtu.testing.factories import UserFactory

SECRET = "对象自述近期与家人冲突，有轻生念头，需每周跟进。"


@pytest.fixture
def counselling(pw, people):
    return record_service(
        actor=actor(pw.worker),
        project=pw.project,
        kind=ServiceKind.COUNSELLING,
        mode=ServiceMode.INDIVIDUAL,
        held_on=dt.date(2026, 3, 12),
        duration_hours=Decimal("1"),
        topic="个案心理辅导",
        attendees=people[:1],
        counselling_note=SECRET,
    )


@pytest.mark.django_db
def test_notes_are_stored_encrypted(counselling):
    stored = CounsellingNote.objects.get(record=counselling)
    assert SECRET not in stored.text_encrypted and stored.text == SECRET


@pytest.mark.django_db
def test_the_counsellor_and_the_supervisor_read_the_notes_and_each_reading_is_audited(client, login, pw, counselling):
    url = reverse("services:record", args=[counselling.pk]) + "?note=1"
    for reader in (pw.worker, pw.supervisor):
        login(client, reader)
        response = client.get(url)
        assert response.status_code == 200
        assert SECRET in response.content.decode()
    readings = AuditEntry.objects.filter(
        action=Action.VIEW, object_id=str(counselling.pk), detail__counselling_note=True
    )
    assert readings.count() == 2


@pytest.mark.django_db
def test_a_colleague_at_the_same_agency_sees_the_record_but_not_the_notes(client, login, pw, people, counselling):
    assign(pw.colleague, people[:1])  # even working with the same person
    login(client, pw.colleague)
    for url in (
        reverse("services:record", args=[counselling.pk]),
        reverse("services:record", args=[counselling.pk]) + "?note=1",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "个案心理辅导" in response.content.decode()
        assert SECRET not in response.content.decode()
    assert client.get(reverse("services:record_note", args=[counselling.pk])).status_code == 403
    api = client.get(reverse("api-service-record", args=[counselling.pk]))
    assert api.status_code == 200 and SECRET not in api.content.decode()
    with pytest.raises(PermissionDenied):
        read_counselling_note(actor=actor(pw.colleague), record=counselling)


@pytest.mark.django_db
def test_an_outsider_gets_404_and_the_manager_and_a_superuser_do_not_read_notes(client, login, pw, counselling):
    login(client, pw.outsider)
    assert client.get(reverse("services:record", args=[counselling.pk]) + "?note=1").status_code == 404
    assert client.get(reverse("api-service-record", args=[counselling.pk])).status_code == 404
    for reader in (pw.manager, UserFactory(is_superuser=True, role=Role.BUREAU_ADMIN)):
        login(client, reader)
        response = client.get(reverse("services:record", args=[counselling.pk]) + "?note=1")
        assert response.status_code == 200 and SECRET not in response.content.decode()


@pytest.mark.django_db
def test_only_the_counsellor_edits_the_notes(client, login, pw, counselling):
    login(client, pw.worker)
    response = client.post(reverse("services:record_note", args=[counselling.pk]), {"text": "已转介精神科评估。"})
    assert response.status_code == 302
    assert CounsellingNote.objects.get(record=counselling).text == "已转介精神科评估。"
    login(client, pw.supervisor)
    assert client.post(reverse("services:record_note", args=[counselling.pk]), {"text": "x"}).status_code == 403
