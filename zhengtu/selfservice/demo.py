"""Demo data of the supervisee app: the demo supervisee accounts get a registry photo (one of the two public-domain
sample faces, zhengtu/faces/sample_faces) so that the demo check-in works with Chromium's fake camera, and a first
message from their officer. Idempotent."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from zhengtu.accounts.roles import Role
from zhengtu.faces import samples
from zhengtu.supervisees.models import Supervisee

from .models import Message

WELCOME = "你好，我是你的矫正工作人员。请每周在手机上报到一次，有事可以在这里给我留言。"


@transaction.atomic
def seed(*, scale: str) -> None:
    people = Supervisee.objects.filter(user__role=Role.SUPERVISEE).select_related("user", "responsible_officer")
    faces = [samples.first_person, samples.second_person]
    for index, person in enumerate(people.order_by("pk")):
        if not person.photo:
            person.photo.save("registry.jpg", ContentFile(faces[index % 2]()), save=True)
        if person.responsible_officer and not Message.objects.filter(supervisee=person).exists():
            Message.objects.create(
                supervisee=person, author=person.responsible_officer, from_supervisee=False, body=WELCOME
            )
