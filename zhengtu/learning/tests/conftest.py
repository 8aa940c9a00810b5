"""Fixtures of the learning tests: a county course with a text and a video lesson, a bank of questions,
a supervisee with an app account, a neighbour in the same office (also with an account), and an outsider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervisees.services import change_status
from zhengtu.testing.factories import UserFactory, make_supervisee

from ..models import Course, Lesson, LessonKind, QuestionKind, Stage
from ..services import content, exams

MEDIA = Path(__file__).resolve().parent.parent / "demo_media"


def webm_upload(name: str = "lesson.webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (MEDIA / "lesson.webm").read_bytes(), content_type="video/webm")


def with_account(person: Supervisee) -> User:
    user = UserFactory(role=Role.SUPERVISEE, organisation=None)
    person.user = user
    person.save(update_fields=["user"])
    return user


@dataclass
class LearningWorld:
    world: Any
    course: Course
    text_lesson: Lesson
    video_lesson: Lesson
    person: Supervisee
    person_user: User
    neighbour: Supervisee
    neighbour_user: User
    outsider_person: Supervisee

    @property
    def officer(self) -> User:
        return self.world.officer_a  # type: ignore[no-any-return]

    @property
    def outsider(self) -> User:
        return self.world.officer_b  # type: ignore[no-any-return]

    def staff(self) -> Actor:
        return Actor(user=self.world.bureau_a)

    def me(self) -> Actor:
        return Actor(user=self.person_user)


@pytest.fixture
def lw(world: Any) -> LearningWorld:
    staff = Actor(user=world.bureau_a)
    course = content.create_course(
        actor=staff, organisation=world.county_a, title="社区矫正法入门", topic="法律常识", stage=Stage.INTAKE
    )
    text = content.add_lesson(
        actor=staff, course=course, title="什么是社区矫正", kind=LessonKind.TEXT, length_seconds=60, body="社区矫正是……"
    )
    video = content.add_lesson(
        actor=staff, course=course, title="宣告视频", kind=LessonKind.VIDEO, length_seconds=12, upload=webm_upload()
    )
    for number in range(6):
        exams.add_question(
            actor=staff,
            course=course,
            kind=QuestionKind.SINGLE,
            text=f"第{number + 1}题",
            choices=["甲", "乙", "丙"],
            answer=[number % 3],
        )
    exams.add_question(actor=staff, course=course, kind=QuestionKind.TRUE_FALSE, text="应当按时报到", answer=[0])
    exams.set_exam(actor=staff, course=course, title="入矫考试", question_count=4, pass_mark=75)
    content.set_published(actor=staff, course=course, published=True)
    # Both started their term a few weeks ago: intake education (入矫教育) is theirs now.
    started = timezone.localdate() - dt.timedelta(days=20)
    person = make_supervisee(world.office_a, name="李四", responsible_officer=world.officer_a, term_start=started)
    neighbour = make_supervisee(world.office_a, name="王五", responsible_officer=world.officer_a, term_start=started)
    outsider_person = make_supervisee(world.office_b, name="赵六")
    for someone in (person, neighbour, outsider_person):
        change_status(actor=None, supervisee=someone, to_status=Status.UNDER_SUPERVISION)
    return LearningWorld(
        world=world,
        course=course,
        text_lesson=text,
        video_lesson=video,
        person=person,
        person_user=with_account(person),
        neighbour=neighbour,
        neighbour_user=with_account(neighbour),
        outsider_person=outsider_person,
    )
