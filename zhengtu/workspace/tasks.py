"""Huey tasks of the workspace: the generic background job (see background.py)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def run_job(job_id: int) -> None:
    from .background import execute

    execute(job_id)


@db_periodic_task(crontab(hour="3", minute="50"))
def refresh_planner_statistics_nightly() -> bool:
    """Every night, after the day's imports: the planner's statistics (SQLite has none unless asked)."""
    from zhengtu.core.database import refresh_planner_statistics

    return refresh_planner_statistics()


@db_periodic_task(crontab(hour="3", minute="25"))
def discard_old_job_results() -> None:
    from .background import discard_old_results

    discard_old_results()
