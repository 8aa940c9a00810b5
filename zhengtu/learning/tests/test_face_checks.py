"""Random face checks during study, with the shared matcher (real dlib models, the faces app's sample photos)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from zhengtu.faces import samples
from zhengtu.workspace.models import Notification

from ..models import FaceCheckOutcome, SessionState, StudyFaceCheck
from ..services.face_checks import answer_face_check
from ..services.study import Beat, heartbeat, start_session

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def play(position: float) -> Beat:
    return Beat(visible=True, playing=True, position=position, played=[[0, position]], claimed_seconds=5)


@pytest.fixture
def due_session(lw, settings):  # type: ignore[no-untyped-def]
    """A video session whose first face check is due at once; the person has a registry photo."""
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_face_check_first_within_seconds": 0}
    lw.person.photo.save("registry.jpg", ContentFile(samples.first_person()), save=True)
    session = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.video_lesson, now=T0)
    assert heartbeat(actor=lw.me(), session=session, beat=play(5), now=at(5)).face_check_due
    return session


def test_the_same_face_resumes_counting(lw, due_session) -> None:  # type: ignore[no-untyped-def]
    check = answer_face_check(actor=lw.me(), session=due_session, image=samples.first_person_variant(), now=at(7))
    assert check.outcome == FaceCheckOutcome.PASSED and check.face_check is not None
    resumed = heartbeat(actor=lw.me(), session=due_session, beat=play(10), now=at(10))
    assert resumed.state == SessionState.COUNTING and resumed.credited > 0


def test_another_face_pauses_counting_and_tells_the_officer(lw, due_session, client, login) -> None:  # type: ignore[no-untyped-def]
    check = answer_face_check(actor=lw.me(), session=due_session, image=samples.second_person(), now=at(7))
    assert check.outcome == FaceCheckOutcome.FAILED
    paused = heartbeat(actor=lw.me(), session=due_session, beat=play(10), now=at(10))
    assert paused.state == SessionState.PAUSED and paused.credited == 0
    note = Notification.objects.get(recipient=lw.officer, kind="learning_face_check")
    login(client, lw.officer)
    page = client.get(note.url).content.decode()
    assert reverse("faces:check_photo", args=[check.face_check_id]) in page
    assert reverse("faces:registry_photo", args=[lw.person.pk]) in page
    tasks = client.get(reverse("workspace:tasks")).content.decode()
    assert lw.person.name in tasks


def test_a_refused_camera_pauses_counting(lw, due_session) -> None:  # type: ignore[no-untyped-def]
    check = answer_face_check(actor=lw.me(), session=due_session, image=None, now=at(7))
    assert check.outcome == FaceCheckOutcome.REFUSED
    assert heartbeat(actor=lw.me(), session=due_session, beat=play(10), now=at(10)).credited == 0


def test_an_unanswered_check_counts_as_refused(lw, due_session, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_face_check_answer_seconds": 60}
    heartbeat(actor=lw.me(), session=due_session, beat=play(10), now=at(30))
    late = heartbeat(actor=lw.me(), session=due_session, beat=play(10), now=at(90))
    assert late.state == SessionState.PAUSED
    assert StudyFaceCheck.objects.get(session=due_session).outcome == FaceCheckOutcome.REFUSED


def test_the_api_takes_the_photo_and_refuses_a_non_image(lw, due_session, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(lw.person_user)
    url = reverse("api-learning-face-check", args=[due_session.pk])
    bad = client.post(url, {"photo": ContentFile(b"not an image", name="x.jpg")})
    assert bad.status_code == 400 and "照片" in bad.content.decode()
    good = client.post(url, {"photo": ContentFile(samples.first_person_variant(), name="face.jpg")})
    assert good.status_code == 201 and good.json()["state"] == SessionState.COUNTING
