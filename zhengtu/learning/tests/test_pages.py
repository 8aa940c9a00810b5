"""Every page and endpoint: the owner sees it, an outsider (another county) gets 404/403 and sees nothing,
a supervisee sees only their own."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.models import AuditEntry

from ..models import CourseAssignment, StudyFaceCheck
from ..services import exams
from ..services.study import start_session


@pytest.fixture
def flagged(lw):  # type: ignore[no-untyped-def]
    session = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.video_lesson)
    return StudyFaceCheck.objects.create(
        session=session, supervisee=lw.person, requested_at=timezone.now(), outcome="refused"
    )


def staff_urls(lw, flagged) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    c, lesson = lw.course.pk, lw.video_lesson.pk
    return [
        ("get", reverse("learning:course", args=[c])),
        ("get", reverse("learning:course_edit", args=[c])),
        ("post", reverse("learning:course_publish", args=[c])),
        ("get", reverse("learning:lesson_new", args=[c])),
        ("get", reverse("learning:question_new", args=[c])),
        ("get", reverse("learning:exam_edit", args=[c])),
        ("get", reverse("learning:lesson", args=[lesson])),
        ("get", reverse("learning:lesson_edit", args=[lesson])),
        ("post", reverse("learning:lesson_move", args=[lesson])),
        ("get", reverse("learning:question_edit", args=[lw.course.questions.first().pk])),
        ("post", reverse("learning:question_move", args=[lw.course.questions.first().pk])),
        ("get", reverse("learning:lesson_media", args=[lesson])),
        ("get", reverse("learning:person", args=[lw.person.pk])),
        ("get", reverse("learning:face_check", args=[flagged.pk])),
        ("post", reverse("learning:face_check_review", args=[flagged.pk])),
        ("get", reverse("api-learning-person-attempts", args=[lw.person.pk])),
        ("get", reverse("api-learning-person-face-checks", args=[lw.person.pk])),
    ]


def test_the_owner_reaches_every_staff_page(lw, flagged, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, lw.world.bureau_a)
    for method, url in staff_urls(lw, flagged):
        if method == "get":
            assert client.get(url).status_code == 200, url
    for name in ("learning:courses", "learning:course_new", "learning:report", "learning:flagged"):
        assert client.get(reverse(name)).status_code == 200, name


def test_an_outsider_gets_nothing(lw, flagged, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, lw.outsider)
    for method, url in staff_urls(lw, flagged):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), url
    assert lw.course.title not in client.get(reverse("learning:courses")).content.decode()
    report = client.get(reverse("learning:report")).content.decode()
    assert lw.person.name not in report
    assert lw.person.name not in client.get(reverse("learning:flagged")).content.decode()
    assert client.get(reverse("api-learning-courses")).json()["count"] == 0
    lw.course.refresh_from_db()
    assert lw.course.is_published


def test_a_supervisee_gets_no_staff_page(lw, flagged, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(lw.person_user)
    for method, url in staff_urls(lw, flagged):
        if "media" in url or "attempts" in url:
            continue  # their own lesson file and attempts: allowed
        assert getattr(client, method)(url).status_code in (403, 404), url


def test_phone_pages_and_sessions_belong_to_the_person(lw, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(lw.person_user)
    home = client.get(reverse("learning_app:home"))
    assert home.status_code == 200 and lw.course.title in home.content.decode()
    assert CourseAssignment.objects.filter(supervisee=lw.person, course=lw.course).exists()
    assert client.get(reverse("learning_app:lesson", args=[lw.video_lesson.pk])).status_code == 200
    started = client.post(
        reverse("api-learning-sessions"), {"lesson": lw.video_lesson.pk}, content_type="application/json"
    )
    assert started.status_code == 201
    session = started.json()["session"]
    beat = {"visible": True, "playing": True, "position": 1, "played": [[0, 1]], "seconds": 1}
    assert (
        client.post(
            reverse("api-learning-heartbeat", args=[session]), beat, content_type="application/json"
        ).status_code
        == 200
    )
    forged = dict(beat, position=2, played=[[0, 2]], seconds=3600)
    refused = client.post(reverse("api-learning-heartbeat", args=[session]), forged, content_type="application/json")
    assert refused.status_code == 409 and "claim_exceeds_wall_time" in refused.json()["reasons"]
    client.force_login(lw.neighbour_user)
    assert (
        client.post(
            reverse("api-learning-heartbeat", args=[session]), beat, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(reverse("api-learning-face-check", args=[session]), {"refused": "1"}).status_code == 404
    # A malformed beat on someone else's session is still "no such session", not a form error about it.
    assert (
        client.post(reverse("api-learning-heartbeat", args=[session]), {}, content_type="application/json").status_code
        == 404
    )


def test_an_outsider_supervisee_cannot_open_the_course(lw, client) -> None:  # type: ignore[no-untyped-def]
    from .conftest import with_account

    client.force_login(with_account(lw.outsider_person))
    assert client.get(reverse("learning_app:course", args=[lw.course.pk])).status_code == 404
    assert client.get(reverse("learning_app:lesson", args=[lw.video_lesson.pk])).status_code == 404
    assert client.get(reverse("learning:lesson_media", args=[lw.video_lesson.pk])).status_code == 404
    started = client.post(
        reverse("api-learning-sessions"), {"lesson": lw.video_lesson.pk}, content_type="application/json"
    )
    assert started.status_code == 404
    attempt = exams.start_attempt(actor=lw.me(), supervisee=lw.person, exam=lw.course.exam)
    assert client.get(reverse("learning_app:attempt", args=[attempt.pk])).status_code == 404


def test_staff_cannot_use_the_phone_pages(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, lw.officer)
    assert client.get(reverse("learning_app:home")).status_code == 403
    assert (
        client.post(
            reverse("api-learning-sessions"), {"lesson": lw.video_lesson.pk}, content_type="application/json"
        ).status_code
        == 403
    )


def test_reading_a_persons_learning_and_exporting_are_audited(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, lw.officer)
    client.get(reverse("learning:person", args=[lw.person.pk]))
    export = client.get(reverse("learning:report_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="view", object_id=str(lw.person.pk)).exists()
    assert AuditEntry.objects.filter(action="export", object_type="learning.report").exists()
