import datetime as dt
from decimal import Decimal

import pytest

from zhengtu.projects import services
from zhengtu.projects.progress import Pace, elapsed_share, overview, project_summary, target_progress
from zhengtu.projects.selectors import projects_visible_to
from zhengtu.projects.tests.conftest import actor, assign, person
from zhengtu.services.models import ServiceKind
from zhengtu.services.services import record_service

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_elapsed_share_of_a_period():
    assert elapsed_share(*YEAR, dt.date(2025, 12, 31)) == 0
    assert elapsed_share(*YEAR, dt.date(2026, 12, 31)) == 1
    assert elapsed_share(*YEAR, dt.date(2026, 7, 2)) == Decimal(183) / Decimal(365)


@pytest.fixture
def target(pw):
    return services.set_target(
        actor=actor(pw.manager), project=pw.project, indicator="education_sessions",
        period_start=YEAR[0], period_end=YEAR[1], target_value=120,
    )  # fmt: skip


@pytest.fixture
def sessions(pw, world):
    def add(count, day=dt.date(2026, 2, 10)):
        people = [person(world.office_a)]
        assign(pw.worker, people)
        for _ in range(count):
            record_service(
                actor=actor(pw.worker), project=pw.project, kind=ServiceKind.EDUCATION, held_on=day,
                duration_hours=Decimal("2"), topic="法治教育", attendees=people,
            )  # fmt: skip

    return add


@pytest.mark.django_db
def test_progress_against_target_and_against_elapsed_time(pw, target, sessions):
    end_of_march = dt.date(2026, 3, 31)  # 90 of 365 days: 29.6 sessions expected
    sessions(25)
    progress = target_progress(target, as_of=end_of_march)
    assert progress.actual == 25 and progress.expected == Decimal("29.6")
    assert progress.pace == Pace.ON_TRACK  # within 10% of the target (12 sessions) of the expected count
    assert target_progress(target, as_of=dt.date(2026, 6, 30)).pace == Pace.BEHIND  # 59.8 expected
    assert target_progress(target, as_of=dt.date(2027, 1, 1)).pace == Pace.MISSED
    sessions(95, day=dt.date(2026, 3, 1))
    done = target_progress(target, as_of=end_of_march)
    assert done.actual == 120 and done.pace == Pace.MET and done.completion == 1


@pytest.mark.django_db
def test_the_bureau_overview_sums_its_projects(pw, target, sessions, world):
    sessions(10)
    services.save_budget_line(
        actor=actor(pw.manager),
        project=pw.project,
        category="education",
        name="集中教育学习费",
        amount=Decimal("120000"),
    )
    line = pw.project.budget_lines.get()
    services.record_spending(
        actor=actor(pw.manager), line=line, spent_on=dt.date(2026, 3, 1), amount=Decimal("60000"), description="讲课费"
    )
    (summary,) = overview(projects_visible_to(world.bureau_a), as_of=dt.date(2026, 6, 30))
    assert summary.spent == Decimal("60000.00") and summary.behind == 1
    assert summary.mean_completion == Decimal(10) / Decimal(120)
    assert overview(projects_visible_to(pw.outsider)) == []
    assert project_summary(pw.project, as_of=dt.date(2026, 6, 30)).progress[0].actual == 10
