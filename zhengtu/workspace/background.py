"""Running long work in the background with a progress page (`workspace:job`).

    job = start_job(owner=user, kind="supervisees.import", label="导入 名册.xlsx",
                    runner="zhengtu.supervisees.importing.run_import_job",
                    arguments={...}, input_name="名册.xlsx", input_content=content)
    return redirect(job)      # the page polls until the job is done, then links to its result

The runner is a dotted path to `runner(job: Job, progress: Progress) -> None`; it reads
`job.arguments` and `job.input_file`, calls `progress(done, total, stage)` now and then, and sets
`job.result` / `job.result_url`. A runner that makes a file (a report, an archive bundle) keeps it with
`keep_result_file`; its domain's download view serves it with `get_job_for_user` + `result_file_response`.
An exception fails the job with its message (ValidationError's
messages are shown as they are; anything else as a generic failure, logged with its traceback).
Progress is written in its own short statement, never inside the runner's transactions, so the
page sees it at once and no write lock is held for it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
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


# ---------------------------------------------------------------------------------------------
# Jobs that make a file (a report, an archive bundle): the file waits in private storage for its owner.

RESULT_FOLDER = "job-results"


def keep_result_file(job: Job, *, filename: str, content: bytes) -> None:
    """Keep the file a runner made, outside the media root; `result_file_response` serves it."""
    from zhengtu.core.private_files import private_storage

    suffix = PurePath(filename).suffix
    name = private_storage().save(f"{RESULT_FOLDER}/{job.pk}/{uuid.uuid4().hex}{suffix}", ContentFile(content))
    job.result = {**job.result, "file": name, "filename": PurePath(filename).name, "bytes": len(content)}


def get_job_for_user(user: User, pk: object, *, kind: str) -> Job:
    """The user's own job of this kind; 404 for anyone else's (a job names a person and its result is theirs)."""
    try:
        return Job.objects.get(pk=int(str(pk)), owner=user, kind=kind)
    except (Job.DoesNotExist, ValueError) as error:
        raise Http404 from error


def result_file_response(request: Any, job: Job, *, audit_target: Any, detail: dict[str, Any]) -> FileResponse:
    """Send the job's file as a download, after writing the export to the audit log.

    The caller fetched `job` with get_job_for_user and `audit_target` through its scoped selector, so a
    person who has since lost sight of the record cannot collect the file either.
    """
    from zhengtu.audit.models import Action
    from zhengtu.audit.services import record_event
    from zhengtu.core.private_files import private_storage

    name = str(job.result.get("file", ""))
    if job.status != JobStatus.DONE or not name:
        raise Http404
    try:
        handle = private_storage().open(name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    record_event(request, action=Action.EXPORT, target=audit_target, detail={"job": job.pk, **detail})
    response = FileResponse(handle, as_attachment=True, filename=str(job.result.get("filename") or PurePath(name).name))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def discard_old_results(*, now: dt.datetime | None = None) -> int:
    """Delete result files older than `ZHENGTU_JOB_RESULT_DAYS` (default 7): a bundle names people, and the
    record it came from can always be exported again. The job stays, without its link. Returns how many."""
    from django.conf import settings

    from zhengtu.core.private_files import private_storage

    cutoff = (now or timezone.now()) - dt.timedelta(days=int(settings.ZHENGTU_JOB_RESULT_DAYS))
    discarded = 0
    for job in Job.objects.filter(finished_at__lt=cutoff, result__has_key="file"):
        private_storage().delete(str(job.result["file"]))
        result = {key: value for key, value in job.result.items() if key != "file"}
        Job.objects.filter(pk=job.pk).update(result={**result, "discarded": True}, result_url="")
        discarded += 1
    return discarded
