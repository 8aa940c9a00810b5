"""Issuing an assessment report as a background job: rendering Word and PDF takes seconds (12.7 s once, on a
loaded server), so the person follows it on the job page (`workspace:job`) and collects the report there.

The job runs `services.reports.issue_report` as the person who asked, on the assessment fetched again
through their scope; it is audited there, and each download through `views.assessments.report_download`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from zhengtu.audit.services import Actor

from .selectors import get_assessment_for_user
from .services.reports import issue_report

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.workspace.background import Progress
    from zhengtu.workspace.models import Job

    from .models import Assessment

KIND = "assessment.report"
STEPS = 2


def start_report_job(*, user: User, assessment: Assessment) -> Job:
    from zhengtu.workspace.background import start_job

    return start_job(
        owner=user,
        kind=KIND,
        label=_("Assessment report for %(name)s") % {"name": assessment.supervisee.name},
        runner="zhengtu.assessment.report_jobs.run_report_job",
        arguments={"assessment": assessment.pk},
    )


def run_report_job(job: Job, progress: Progress) -> None:
    progress(0, STEPS, _("Rendering the report (Word and PDF)"))
    try:
        assessment = get_assessment_for_user(job.owner, job.arguments["assessment"])
    except Http404 as error:  # the person was moved or lost the case between asking and the job running
        raise ValidationError(_("This assessment is no longer within your reach.")) from error
    with transaction.atomic():
        report = issue_report(actor=Actor(user=job.owner), assessment=assessment)
    progress(STEPS, STEPS, _("Report %(number)s issued.") % {"number": report.number})
    job.result_url = reverse("assessment:report_download", args=[assessment.pk, "pdf"])
    job.result = {
        "report": report.pk,
        "number": report.number,
        "links": [
            {"label": _("Download Word"), "url": reverse("assessment:report_download", args=[assessment.pk, "docx"])},
            {"label": _("Back to the assessment"), "url": reverse("assessment:detail", args=[assessment.pk])},
        ],
    }
