"""Exporting an archive as one PDF bundle in a background job: a long file with many documents and
attachments takes a while to render, so the person follows it on the job page (`workspace:job`) and
downloads the bundle from there (views.archives.archive_export_result), only they, while they may see the person.

The bundle is made by `archives.export_archive` (audited there, as before); each download is audited too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from zhengtu.audit.services import Actor
from zhengtu.documents.models import ArchiveKind

from ..selectors import get_supervisee_for_user
from .archives import export_archive

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.supervisees.models import Supervisee
    from zhengtu.workspace.background import Progress
    from zhengtu.workspace.models import Job

KIND = "supervision.archive_export"
STEPS = 2


def start_archive_export(*, user: User, supervisee: Supervisee, archive: str) -> Job:
    from zhengtu.workspace.background import start_job

    if archive not in ArchiveKind.values:
        raise ValidationError(_("Unknown archive."))
    return start_job(
        owner=user,
        kind=KIND,
        label=_("%(archive)s of %(name)s as one PDF")
        % {"archive": ArchiveKind(archive).label, "name": supervisee.name},
        runner="zhengtu.supervision.services.archive_jobs.run_archive_export",
        arguments={"supervisee": supervisee.pk, "archive": archive},
    )


def run_archive_export(job: Job, progress: Progress) -> None:
    from zhengtu.workspace.background import keep_result_file

    progress(0, STEPS, _("Putting the documents and attachments together"))
    try:
        supervisee = get_supervisee_for_user(job.owner, job.arguments["supervisee"])
    except Http404 as error:  # moved out of the person's scope between asking and the job running
        raise ValidationError(_("This person is no longer within your reach.")) from error
    filename, pdf = export_archive(actor=Actor(user=job.owner), supervisee=supervisee, archive=job.arguments["archive"])
    progress(1, STEPS, _("Keeping the PDF for you"))
    keep_result_file(job, filename=filename, content=pdf)
    job.result_url = reverse("supervision:archive_export_result", args=[job.pk])
    progress(STEPS, STEPS, _("Done"))
