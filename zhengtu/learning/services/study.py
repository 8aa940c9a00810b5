"""Honest learning time: the page reports, the server decides what counts.

A lesson page opens a StudySession and sends a heartbeat every few seconds with what the browser
saw (page visible, video playing, playback rate, current position, the `played` ranges, seconds the
page itself counted, seconds since the last touch). The server keeps its own clock per session and
credits, for each heartbeat, at most the wall time since the previous one, and only when:

- the page was visible, and (for text and PDF) the person touched, scrolled or typed recently;
- (video and audio) the recording played at normal speed: the position moved forward by no more
  than the wall time, inside the ranges the browser says it played — seeking ahead or 2× speed
  moves the position faster than the clock and earns nothing;
- no face check is waiting or failed.

A heartbeat that claims more seconds than wall time since the previous one is refused outright
(`refused`, answered 409) and counted on the session; its interval can never be claimed again. A lesson is complete once the honestly watched share of its
real length (video: distinct seconds of the recording; text: credited time) reaches the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhengtu.accounts.roles import is_supervisee
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Supervisee

from ..models import ExamAttempt, Lesson, LessonProgress, SessionState, StudySession
from ..rules import rule
from . import face_checks


@dataclass(frozen=True)
class Beat:
    visible: bool
    playing: bool = False
    rate: float = 1.0
    position: float = 0.0
    played: Sequence[Sequence[float]] = ()
    claimed_seconds: float = 0.0
    idle_seconds: float = 0.0


@dataclass
class BeatResult:
    credited: float
    counted_seconds: float  # on the lesson, all sessions
    session_seconds: float
    completed: bool
    state: str
    reasons: list[str] = field(default_factory=list)
    # The heartbeat claimed more time than passed on the server's clock: answered 409, counted on the session.
    refused: bool = False

    @property
    def face_check_due(self) -> bool:
        return self.state == SessionState.FACE_CHECK_DUE


def _owner(actor: Actor, supervisee: Supervisee) -> None:
    if actor.user is None or supervisee.user_id != actor.user.pk:
        raise PermissionDenied


@transaction.atomic
def start_session(
    *,
    actor: Actor,
    supervisee: Supervisee,
    lesson: Lesson | None = None,
    attempt: ExamAttempt | None = None,
    now: dt.datetime | None = None,
) -> StudySession:
    _owner(actor, supervisee)
    now = now or timezone.now()
    session = StudySession(
        supervisee=supervisee,
        lesson=lesson,
        attempt=attempt,
        started_at=now,
        studied_on=timezone.localdate(now),
        last_beat_at=now,
        next_face_check_at=face_checks.first_check_at(now),
    )
    if lesson is not None:
        # A page closed earlier may have left credit on its session: into the progress first, then start from it.
        fold_pending(supervisee=supervisee, lesson=lesson, now=now)
        progress, _created = LessonProgress.objects.get_or_create(supervisee=supervisee, lesson=lesson)
        _take_base(session, progress)
    session.save()
    return session


def _take_base(session: StudySession, progress: LessonProgress) -> None:
    session.lesson_base_seconds = progress.counted_seconds
    session.lesson_base_covered = _covered_of(session.lesson, progress)
    session.lesson_done = progress.completed_at is not None


def _covered_of(lesson: Lesson | None, progress: LessonProgress) -> float:
    if lesson is not None and lesson.is_media:
        return float(sum(b - a for a, b in progress.watched))
    return float(progress.counted_seconds)


def merge_ranges(ranges: Sequence[Sequence[float]]) -> list[list[float]]:
    merged: list[list[float]] = []
    for start, end in sorted((float(a), float(b)) for a, b in ranges if float(b) > float(a)):
        if merged and start <= merged[-1][1] + 0.5:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _covered(ranges: Sequence[Sequence[float]], start: float, end: float, slack: float) -> bool:
    return any(a - slack <= start and end <= b + slack for a, b in merge_ranges(ranges))


def _media_credit(session: StudySession, beat: Beat, window: float, tolerance: float, reasons: list[str]) -> float:
    if abs(beat.rate - 1.0) > 0.01:
        reasons.append("speed")
        return 0.0
    if not beat.playing:
        reasons.append("not_playing")
        return 0.0
    advance = beat.position - session.last_position
    if advance <= 0:
        reasons.append("not_moving")
        return 0.0
    if advance > window + tolerance:
        # Skipped ahead, or played faster than the clock: nothing counts, and the skipped part is not watched.
        reasons.append("ahead_of_clock")
        return 0.0
    if not _covered(beat.played, session.last_position, beat.position, slack=1.0):
        reasons.append("not_played")
        return 0.0
    return min(advance, window, beat.claimed_seconds)


def _lock_own(actor: Actor, session_id: int) -> StudySession:
    """The session, locked, if it belongs to the acting person: one query (the ownership is in the filter).

    Heartbeats are the busiest request of the app (2,000 people at once every 15 s), so the scope check and
    the lock are the same statement; the supervisee row is read only when a lesson is completed.
    """
    if actor.user is None or not is_supervisee(actor.user):
        raise PermissionDenied
    session = (
        StudySession.objects.select_for_update(of=("self",))
        .select_related("lesson")
        .filter(pk=session_id, supervisee__user_id=actor.user.pk)
        .first()
    )
    if session is None:
        raise PermissionDenied
    return session


@transaction.atomic
def heartbeat(*, actor: Actor, session: StudySession | int, beat: Beat, now: dt.datetime | None = None) -> BeatResult:
    """Credit one heartbeat. `session` is a session or its id; anyone but its person gets PermissionDenied."""
    now = now or timezone.now()
    session = _lock_own(actor, session if isinstance(session, int) else session.pk)
    elapsed = max((now - session.last_beat_at).total_seconds(), 0.0)
    tolerance = float(rule("learning_heartbeat_tolerance_seconds"))
    if beat.claimed_seconds > elapsed + tolerance or beat.claimed_seconds < 0:
        StudySession.objects.filter(pk=session.pk).update(
            refused_beats=F("refused_beats") + 1, last_beat_at=now, last_position=beat.position
        )
        return BeatResult(
            credited=0,
            counted_seconds=0,
            session_seconds=round(session.counted_seconds, 1),
            completed=False,
            state=session.state,
            reasons=["claim_exceeds_wall_time"],
            refused=True,
        )
    reasons: list[str] = []
    face_checks.expire_unanswered(session, now=now)
    # A check falling due in this interval stops counting from this heartbeat on: the photo proves the moments after.
    if session.state == SessionState.COUNTING:
        face_checks.request_if_due(session, now=now)
    credited = 0.0
    window = elapsed
    if elapsed > float(rule("learning_heartbeat_max_gap_seconds")):
        reasons.append("gap")
    elif session.state != SessionState.COUNTING:
        reasons.append("face_check")
    elif not beat.visible:
        reasons.append("hidden")
    elif session.lesson is None:
        reasons.append("exam")
    elif session.lesson.is_media:
        credited = _media_credit(session, beat, window, tolerance, reasons)
    elif beat.idle_seconds > float(rule("learning_idle_seconds")):
        reasons.append("idle")
    else:
        credited = min(window, beat.claimed_seconds)
    previous_position = session.last_position
    session.last_beat_at = now
    session.last_position = beat.position
    session.counted_seconds += credited
    fields = ["last_beat_at", "last_position", "counted_seconds", "state", "face_check_requested_at"]
    completed = False
    if session.lesson is not None:
        completed = _credit_lesson(session, credited, previous_position, beat.position, now)
        fields += PENDING_FIELDS
    session.save(update_fields=fields)
    return BeatResult(
        credited=round(credited, 1),
        counted_seconds=round(session.lesson_base_seconds + session.pending_seconds, 1),
        session_seconds=round(session.counted_seconds, 1),
        completed=completed,
        state=session.state,
        reasons=reasons,
    )


PENDING_FIELDS = [
    "pending_seconds",
    "pending_watched",
    "pending_beats",
    "lesson_base_seconds",
    "lesson_base_covered",
    "lesson_done",
]


def _credit_lesson(session: StudySession, credited: float, start: float, end: float, now: dt.datetime) -> bool:
    """Keep the credit on the session (the caller saves it); fold it into the lesson's progress every
    `learning_progress_every_beats` counting heartbeats, or at once when the lesson may be complete.

    Whether it may be complete is known without reading the progress: the watched share at the last fold plus
    everything watched since is at least the true share (ranges may overlap), so a fold happens no later than
    the heartbeat that completes the lesson. Answers whether the lesson is complete."""
    lesson = session.lesson
    assert lesson is not None
    if credited <= 0:
        return session.lesson_done
    session.pending_seconds += credited
    session.pending_beats += 1
    if lesson.is_media:
        session.pending_watched = merge_ranges([*session.pending_watched, [start, end]])
        since = sum(b - a for a, b in session.pending_watched)
    else:
        since = session.pending_seconds
    may_complete = not session.lesson_done and (
        session.lesson_base_covered + since >= float(rule("learning_completion_share")) * lesson.length_seconds
    )
    if may_complete or session.pending_beats >= int(rule("learning_progress_every_beats")):
        _fold(session, now)
    return session.lesson_done


def _fold(session: StudySession, now: dt.datetime) -> None:
    """Add the session's pending credit to the lesson's progress (locked) and start the next round from it.

    The caller holds the session's lock and saves the session's PENDING_FIELDS."""
    lesson = session.lesson
    assert lesson is not None
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        supervisee_id=session.supervisee_id, lesson=lesson
    )
    progress.counted_seconds += session.pending_seconds
    if lesson.is_media:
        progress.watched = merge_ranges([*progress.watched, *session.pending_watched])
    newly_complete = progress.completed_at is None and _covered_of(lesson, progress) >= float(
        rule("learning_completion_share")
    ) * float(lesson.length_seconds)
    if newly_complete:
        progress.completed_at = now
    progress.save(update_fields=["counted_seconds", "watched", "completed_at"])
    session.pending_seconds, session.pending_watched, session.pending_beats = 0.0, [], 0
    _take_base(session, progress)
    if newly_complete:
        from .assignment import refresh_completion

        refresh_completion(supervisee=session.supervisee, course=lesson.course)


@transaction.atomic
def fold_pending(*, supervisee: Supervisee, lesson: Lesson | None = None, now: dt.datetime | None = None) -> int:
    """Fold the credit still waiting on a person's study sessions (of one lesson, or all) into their progress.

    Pages that show lesson progress call it first, so a page closed between two folds shows every second."""
    now = now or timezone.now()
    waiting = StudySession.objects.select_for_update(of=("self",)).select_related("lesson")
    waiting = waiting.filter(supervisee=supervisee, pending_beats__gt=0, lesson__isnull=False)
    if lesson is not None:
        waiting = waiting.filter(lesson=lesson)
    count = 0
    for session in waiting.order_by("pk"):
        _fold(session, now)
        session.save(update_fields=PENDING_FIELDS)
        count += 1
    return count


def fold_abandoned(*, now: dt.datetime | None = None) -> int:
    """Nightly: fold the credit of pages closed between two folds (no heartbeat for longer than the gap rule)."""
    now = now or timezone.now()
    quiet_since = now - dt.timedelta(seconds=float(rule("learning_heartbeat_max_gap_seconds")))
    waiting = StudySession.objects.filter(pending_beats__gt=0, last_beat_at__lt=quiet_since, lesson__isnull=False)
    count = 0
    for pk in waiting.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            session = StudySession.objects.select_for_update(of=("self",)).select_related("lesson").get(pk=pk)
            if session.pending_beats:
                _fold(session, now)
                session.save(update_fields=PENDING_FIELDS)
                count += 1
    return count
