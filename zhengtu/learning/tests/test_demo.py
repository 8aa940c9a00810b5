from __future__ import annotations

import pytest

from zhengtu.demo.seed import seed
from zhengtu.learning.models import Course, CourseAssignment, Lecturer, Lesson


@pytest.mark.django_db
def test_demo_courses_lessons_and_assignments() -> None:
    seed("county")
    assert Course.objects.filter(is_published=True).count() >= 4
    assert Lesson.objects.filter(kind="video").exists() and Lesson.objects.filter(kind="audio").exists()
    assert Course.objects.get(title="社区矫正法律法规常识").exam.question_count == 5
    assert CourseAssignment.objects.filter(supervisee__user__username="supervisee_lufeng").exists()
    assert Lecturer.objects.count() == 5
    # A held group session with photos, in the services ledger under its lecturer.
    from zhengtu.learning.models import GroupSession

    (session,) = GroupSession.objects.all()
    assert session.photos.count() == 2 and session.service_record is not None
    assert session.service_record.pool_lecturer == session.lecturer and session.service_record.attendances.exists()
    before = Course.objects.count()
    seed("county")
    assert Course.objects.count() == before
