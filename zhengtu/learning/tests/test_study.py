"""Honest learning time: what the server credits, whatever the page says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from ..models import LessonProgress, SessionState
from ..services.study import Beat, heartbeat, start_session

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def play(position: float, claimed: float = 5, *, start: float = 0, rate: float = 1.0, visible: bool = True) -> Beat:
    return Beat(
        visible=visible,
        playing=True,
        rate=rate,
        position=position,
        played=[[start, position]],
        claimed_seconds=claimed,
    )


@pytest.fixture
def no_checks(settings):  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_face_checks_per_hour": 0}


@pytest.fixture
def video_session(lw, no_checks):  # type: ignore[no-untyped-def]
    return start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.video_lesson, now=T0)


def test_normal_viewing_counts_and_completes_the_lesson(lw, video_session) -> None:  # type: ignore[no-untyped-def]
    results = [heartbeat(actor=lw.me(), session=video_session, beat=play(5 * i), now=at(5 * i)) for i in (1, 2)]
    assert results[0].credited == 5
    assert results[1].counted_seconds == 10
    assert not results[1].completed  # 10 s of a 12 s video is below 90 %
    last = heartbeat(actor=lw.me(), session=video_session, beat=play(11, claimed=1), now=at(11))
    assert last.completed
    progress = LessonProgress.objects.get(supervisee=lw.person, lesson=lw.video_lesson)
    assert progress.completed_at is not None and progress.watched == [[0.0, 11.0]]


def test_a_claim_beyond_wall_time_is_refused_and_counts_nothing(lw, video_session) -> None:  # type: ignore[no-untyped-def]
    forged = heartbeat(actor=lw.me(), session=video_session, beat=play(5, claimed=60), now=at(5))
    assert forged.refused and forged.credited == 0
    video_session.refresh_from_db()
    assert video_session.refused_beats == 1
    assert video_session.counted_seconds == 0
    # Nor can the refused interval be claimed again by an honest-looking heartbeat afterwards.
    after = heartbeat(actor=lw.me(), session=video_session, beat=play(6, claimed=1), now=at(6))
    assert after.counted_seconds == 1


def test_two_times_speed_counts_nothing(lw, video_session) -> None:  # type: ignore[no-untyped-def]
    # 10 s of the recording in 5 s of wall time, whether or not the page owns up to the rate.
    honest_rate = heartbeat(actor=lw.me(), session=video_session, beat=play(10, rate=2.0), now=at(5))
    lying_rate = heartbeat(actor=lw.me(), session=video_session, beat=play(20, start=0), now=at(10))
    assert honest_rate.credited == 0 and "speed" in honest_rate.reasons
    assert lying_rate.credited == 0 and "ahead_of_clock" in lying_rate.reasons
    assert LessonProgress.objects.get(supervisee=lw.person, lesson=lw.video_lesson).counted_seconds == 0


def test_seeking_ahead_counts_nothing_and_is_not_watched(lw, video_session) -> None:  # type: ignore[no-untyped-def]
    heartbeat(actor=lw.me(), session=video_session, beat=play(4), now=at(4))
    # Jumped from 4 to 10: the browser's played ranges show the gap, even if the advance fits the clock.
    jumped = Beat(visible=True, playing=True, position=8, played=[[0, 4], [7, 8]], claimed_seconds=4)
    result = heartbeat(actor=lw.me(), session=video_session, beat=jumped, now=at(8))
    assert result.credited == 0 and "not_played" in result.reasons
    assert LessonProgress.objects.get(supervisee=lw.person, lesson=lw.video_lesson).watched == [[0.0, 4.0]]


def test_hidden_page_counts_nothing(lw, video_session) -> None:  # type: ignore[no-untyped-def]
    result = heartbeat(actor=lw.me(), session=video_session, beat=play(5, visible=False), now=at(5))
    assert result.credited == 0 and "hidden" in result.reasons


def test_a_long_gap_counts_nothing(lw, video_session) -> None:  # type: ignore[no-untyped-def]
    result = heartbeat(actor=lw.me(), session=video_session, beat=play(5, claimed=5), now=at(600))
    assert result.credited == 0 and "gap" in result.reasons


def test_idle_reader_counts_nothing(lw, no_checks) -> None:  # type: ignore[no-untyped-def]
    session = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.text_lesson, now=T0)
    reading = heartbeat(actor=lw.me(), session=session, beat=Beat(visible=True, claimed_seconds=10), now=at(10))
    idle = heartbeat(
        actor=lw.me(), session=session, beat=Beat(visible=True, claimed_seconds=10, idle_seconds=600), now=at(20)
    )
    assert reading.credited == 10
    assert idle.credited == 0 and "idle" in idle.reasons


def test_someone_else_cannot_beat_on_my_session(lw, video_session) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from zhengtu.audit.services import Actor

    with pytest.raises(PermissionDenied):
        heartbeat(actor=Actor(user=lw.neighbour_user), session=video_session, beat=play(5), now=at(5))


@override_settings(ZHENGTU_RULES={"learning_face_check_first_within_seconds": 1, "learning_face_checks_per_hour": 2})
def test_a_due_face_check_stops_counting_until_answered(lw) -> None:  # type: ignore[no-untyped-def]
    session = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.video_lesson, now=T0)
    first = heartbeat(actor=lw.me(), session=session, beat=play(5), now=at(5))
    assert first.face_check_due
    waiting = heartbeat(actor=lw.me(), session=session, beat=play(10, start=0), now=at(10))
    assert waiting.credited == 0 and waiting.state == SessionState.FACE_CHECK_DUE
    assert timezone.is_aware(session.started_at)
