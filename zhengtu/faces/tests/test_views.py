"""Face photos are served only to staff in scope, and every read is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import Action, AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.faces import samples
from zhengtu.faces.models import Purpose
from zhengtu.faces.services import check_face
from zhengtu.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(person):  # type: ignore[no-untyped-def]
    return check_face(supervisee=person, image=samples.first_person(), purpose=Purpose.CHECKIN, actor=Actor())


def test_officer_sees_the_check_photo_and_the_read_is_audited(client, login, world, check) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.get(reverse("faces:check_photo", args=[check.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert AuditEntry.objects.filter(
        action=Action.VIEW, object_type="faces.facecheck", object_id=str(check.pk), username=world.officer_a.username
    ).exists()


def test_officer_sees_the_registry_photo_audited(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.get(reverse("faces:registry_photo", args=[person.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        action=Action.VIEW, object_id=str(person.pk), detail__file="registry_photo"
    ).exists()


def test_outsider_gets_404_and_nothing(client, login, world, check, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_b)
    assert client.get(reverse("faces:check_photo", args=[check.pk])).status_code == 404
    assert client.get(reverse("faces:registry_photo", args=[person.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.VIEW, username=world.officer_b.username).exists()


def test_the_supervisee_cannot_fetch_face_photos(client, world, check, person) -> None:  # type: ignore[no-untyped-def]
    account = UserFactory(role=Role.SUPERVISEE, organisation=None)
    person.user = account
    person.save(update_fields=["user"])
    client.force_login(account)
    assert client.get(reverse("faces:check_photo", args=[check.pk])).status_code == 403
    assert client.get(reverse("faces:registry_photo", args=[person.pk])).status_code == 403
