"""Honest learning time: what the server credits, whatever the page says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from ..models import LessonProgress, SessionState
from ..services.study import Beat, fold_abandoned, fold_pending, heartbeat, start_session

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
    fold_pending(supervisee=lw.person)  # as the pages showing progress do
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


def _progress(lw) -> LessonProgress:  # type: ignore[no-untyped-def]
    return LessonProgress.objects.get(supervisee=lw.person, lesson=lw.text_lesson)


def test_progress_is_written_every_few_beats_and_answers_stay_exact(lw, no_checks, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_progress_every_beats": 3}
    session = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.text_lesson, now=T0)
    reading = Beat(visible=True, claimed_seconds=7)
    answers = [heartbeat(actor=lw.me(), session=session, beat=reading, now=at(7 * i)) for i in (1, 2)]
    # The page hears the lesson's exact time at every heartbeat; the progress row waits for the third.
    assert [a.counted_seconds for a in answers] == [7, 14]
    assert _progress(lw).counted_seconds == 0
    third = heartbeat(actor=lw.me(), session=session, beat=reading, now=at(21))
    assert third.counted_seconds == 21 and _progress(lw).counted_seconds == 21
    fourth = heartbeat(actor=lw.me(), session=session, beat=reading, now=at(28))
    assert fourth.counted_seconds == 28 and _progress(lw).counted_seconds == 21


def test_a_page_closed_between_folds_loses_no_second(lw, no_checks, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_progress_every_beats": 10}
    first = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.text_lesson, now=T0)
    for i in (1, 2):
        heartbeat(actor=lw.me(), session=first, beat=Beat(visible=True, claimed_seconds=10), now=at(10 * i))
    # The page closed: the progress shows it as soon as anyone looks, or the person opens the lesson again.
    assert fold_pending(supervisee=lw.person) == 1
    assert _progress(lw).counted_seconds == 20
    second = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.text_lesson, now=at(100))
    again = heartbeat(actor=lw.me(), session=second, beat=Beat(visible=True, claimed_seconds=5), now=at(105))
    assert again.counted_seconds == 25
    third = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.text_lesson, now=at(200))
    assert _progress(lw).counted_seconds == 25  # opening the lesson again folded the second page's credit
    assert third.lesson_base_seconds == 25
    heartbeat(actor=lw.me(), session=third, beat=Beat(visible=True, claimed_seconds=5), now=at(205))
    # Nobody looks: the nightly run folds pages quiet for longer than the gap rule.
    assert fold_abandoned(now=at(206)) == 0
    assert fold_abandoned(now=at(400)) == 1
    assert _progress(lw).counted_seconds == 30


def test_completion_is_not_delayed_by_folding_every_few_beats(lw, no_checks, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_progress_every_beats": 100}
    session = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.text_lesson, now=T0)
    reading = Beat(visible=True, claimed_seconds=10)
    results = [heartbeat(actor=lw.me(), session=session, beat=reading, now=at(10 * i)) for i in range(1, 7)]
    # 60 s lesson, complete at 90 %: the sixth heartbeat (60 s) completes it, not the first after it.
    assert [r.completed for r in results] == [False, False, False, False, False, True]
    progress = _progress(lw)
    assert progress.completed_at == at(60) and progress.counted_seconds == 60


def test_video_completion_counts_distinct_seconds_across_folds(lw, video_session, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_progress_every_beats": 2}
    heartbeat(actor=lw.me(), session=video_session, beat=play(4, claimed=4), now=at(4))
    heartbeat(actor=lw.me(), session=video_session, beat=play(8, claimed=4), now=at(8))
    # Watched 0-8 again in a second page: no new distinct seconds, the lesson (12 s, 90 %) is not complete.
    again = start_session(actor=lw.me(), supervisee=lw.person, lesson=lw.video_lesson, now=at(20))
    replay = [heartbeat(actor=lw.me(), session=again, beat=play(p, claimed=4), now=at(20 + p)) for p in (4, 8)]
    assert not replay[-1].completed
    last = heartbeat(actor=lw.me(), session=again, beat=play(11, start=0, claimed=3), now=at(31))
    assert last.completed
    progress = LessonProgress.objects.get(supervisee=lw.person, lesson=lw.video_lesson)
    assert progress.watched == [[0.0, 11.0]] and progress.counted_seconds == 19
