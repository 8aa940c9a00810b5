"""Hours of online study as a command-centre figure: counted independently, in scope, drillable to sessions."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from zhengtu.command.figures import get_figure
from zhengtu.command.periods import parse_period
from zhengtu.command.tables import drill_down, figure_table

from ..models import StudySession


def _study(person, lesson, seconds: float) -> StudySession:  # type: ignore[no-untyped-def]
    now = timezone.now()
    return StudySession.objects.create(
        supervisee=person, lesson=lesson, started_at=now, studied_on=timezone.localdate(now), last_beat_at=now,
        counted_seconds=seconds,
    )  # fmt: skip


def test_online_study_hours_are_a_figure_drillable_to_the_sessions(lw) -> None:  # type: ignore[no-untyped-def]
    sessions = [
        _study(lw.person, lw.video_lesson, 3600),
        _study(lw.person, lw.text_lesson, 1800.5),
        _study(lw.neighbour, lw.text_lesson, 71.9),
        _study(lw.neighbour, lw.text_lesson, 0),  # nothing credited: not listed
    ]
    _study(lw.outsider_person, lw.text_lesson, 7200)  # another county: not counted for county A's officer
    # Counted by hand, independently: each session floored to the hundredth of an hour, in the officer's county.
    mine = [s for s in sessions if s.counted_seconds > 0]
    expected = sum((Decimal(int(s.counted_seconds // 36)) / 100 for s in mine), Decimal(0))
    assert expected == Decimal("1.51")  # 1.00 + 0.50 + 0.01
    figure = get_figure("learning.hours")
    assert figure is not None
    today = timezone.localdate()
    period = parse_period("", today=today)
    assert period is not None
    table = figure_table(lw.officer, figure, period, today=today)
    assert sum((sum(row.cells.values(), Decimal(0)) for row in table.rows), Decimal(0)) == expected
    listed = drill_down(lw.officer, figure, period, today=today)
    assert sorted(s.pk for s in listed) == sorted(s.pk for s in mine)
    assert all(lw.outsider_person.name not in figure.describe(s)[0] for s in listed)  # type: ignore[misc]
    outsider = figure_table(lw.outsider, figure, period, today=today)
    assert sum((sum(row.cells.values(), Decimal(0)) for row in outsider.rows), Decimal(0)) == Decimal("2.00")
