"""Huey tasks of the workspace: the generic background job (see background.py)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def run_job(job_id: int) -> None:
    from .background import execute

    execute(job_id)
