"""A job that makes a file: the file waits in private storage for its owner, then is discarded after a week."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from zhengtu.workspace.background import discard_old_results, get_job_for_user, keep_result_file, start_job


def make_a_file(job: Any, progress: Any) -> None:
    progress(1, 1, "")
    keep_result_file(job, filename="卷宗.pdf", content=b"%PDF-1.4 test")
    job.result_url = "/somewhere/"


def test_a_result_file_is_private_owned_and_discarded_after_its_days(world) -> None:  # type: ignore[no-untyped-def]
    job = start_job(
        owner=world.officer_a,
        kind="test.file",
        label="卷宗",
        runner="zhengtu.workspace.tests.test_job_results.make_a_file",
    )
    assert job.status == "done" and job.result["filename"] == "卷宗.pdf"
    path = Path(settings.ZHENGTU_PRIVATE_ROOT, job.result["file"])
    assert path.read_bytes() == b"%PDF-1.4 test"
    assert get_job_for_user(world.officer_a, job.pk, kind="test.file") == job
    for other, kind in ((world.colleague_a, "test.file"), (world.officer_a, "supervision.archive_export")):
        with pytest.raises(Http404):
            get_job_for_user(other, job.pk, kind=kind)

    assert discard_old_results() == 0  # fresh: kept
    with override_settings(ZHENGTU_JOB_RESULT_DAYS=3):
        assert discard_old_results(now=timezone.now() + dt.timedelta(days=4)) == 1
    job.refresh_from_db()
    assert not path.exists() and job.result_url == "" and "file" not in job.result
