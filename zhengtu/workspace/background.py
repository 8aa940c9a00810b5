"""Running long work in the background with a progress page (`workspace:job`).

    job = start_job(owner=user, kind="supervisees.import", label="导入 名册.xlsx",
                    runner="zhengtu.supervisees.importing.run_import_job",
                    arguments={...}, input_name="名册.xlsx", input_content=content)
    return redirect(job)      # the page polls until the job is done, then links to its result

The runner is a dotted path to `runner(job: Job, progress: Progress) -> None`; it reads
`job.arguments` and `job.input_file`, calls `progress(done, total, stage)` now and then, and sets
`job.result` / `job.result_url`. An exception fails the job with its message (ValidationError's
messages are shown as they are; anything else as a generic failure, logged with its traceback).
Progress is written in its own short statement, never inside the runner's transactions, so the
page sees it at once and no write lock is held for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Job, JobStatus

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

logger = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


def start_job(
    *,
    owner: User,
    kind: str,
    label: str,
    runner: str,
    arguments: dict[str, Any] | None = None,
    input_name: str = "",
    input_content: bytes | None = None,
) -> Job:
    """Record the job and queue it (with Huey's immediate mode in tests, it has run when this returns)."""
    job = Job(owner=owner, kind=kind, label=label[:200], arguments={"runner": runner, **(arguments or {})})
    job.input_name = input_name[:255]
    if input_content is not None:
        job.input_file.save(f"job-{timezone.now():%Y%m%d%H%M%S%f}.bin", ContentFile(input_content), save=False)
    job.save()
    from .tasks import run_job

    run_job(job.pk)
    job.refresh_from_db()
    return job


def _save_progress(job: Job, done: int, total: int, stage: str) -> None:
    Job.objects.filter(pk=job.pk).update(done=done, total=total, stage=stage[:200])
    job.done, job.total, job.stage = done, total, stage


def execute(job_id: int) -> None:
    """Run one queued job to its end (called by the Huey task)."""
    job = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    try:
        runner = import_string(job.arguments["runner"])
        runner(job, lambda done, total, stage="": _save_progress(job, done, total, stage))
    except ValidationError as error:
        _finish(job, JobStatus.FAILED, error=" ".join(error.messages))
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error=_("The work stopped because of an unexpected error; it has been logged."))
    else:
        _finish(job, JobStatus.DONE)


def _finish(job: Job, status: str, *, error: str = "") -> None:
    if job.input_file:
        job.input_file.delete(save=False)  # the uploaded file may hold identity numbers: keep it no longer
    Job.objects.filter(pk=job.pk).update(
        status=status,
        error=error,
        result=job.result,
        result_url=job.result_url,
        input_file="",
        finished_at=timezone.now(),
    )
