""" "My tasks" entries of the learning app: overdue courses of the people a user works with, and face checks
during study that did not pass and nobody has looked at yet. And the nightly job that assigns courses by rule
(huey finds it here, in the app's `tasks` module, as the other apps' nightly jobs)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtu.accounts.roles import Capability, can, is_supervisee
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to
from zhengtu.workspace.registry import Task

from .models import CourseAssignment, FaceCheckOutcome, StudyFaceCheck

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

LIMIT = 200
logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="1", minute="35"))
def assign_courses_daily() -> int:
    """Every night (after supervision's due items at 01:15): the courses each person's group and stage need now,
    and on the first days of a month the month's topic, as `manage.py assign_courses` does by hand. First, the
    credit left on the sessions of pages closed between two folds goes into the lesson progress."""
    from .services.assignment import assign_everyone
    from .services.study import fold_abandoned

    folded = fold_abandoned()
    if folded:
        logger.info("Learning: credit of %d closed study pages folded into lesson progress.", folded)

    count = assign_everyone(Supervisee.objects.all())
    logger.info("Learning: %d course assignments made.", count)
    return count


def tasks_for(user: User, *, today: dt.date | None = None) -> list[Task]:
    if is_supervisee(user) or not can(user, Capability.SUPERVISE):
        return []
    today = today or timezone.localdate()
    people = supervisees_visible_to(user).filter(status=Status.UNDER_SUPERVISION)
    tasks: list[Task] = []
    overdue = (
        CourseAssignment.objects.filter(supervisee__in=people, completed_at__isnull=True, due_on__lt=today)
        .select_related("course", "supervisee")
        .order_by("due_on", "pk")[:LIMIT]
    )
    for assignment in overdue:
        tasks.append(
            Task(
                kind="learning_course_overdue",
                title=_("Course not completed: %(course)s") % {"course": assignment.course.title},
                url=reverse("learning:person", args=[assignment.supervisee_id]),
                due=assignment.due_on,
                overdue=True,
                subject=assignment.supervisee.name,
            )
        )
    checks = (
        StudyFaceCheck.objects.filter(supervisee__in=people, reviewed_at__isnull=True)
        .exclude(outcome=FaceCheckOutcome.PASSED)
        .select_related("supervisee")
        .order_by("requested_at")[:LIMIT]
    )
    for check in checks:
        tasks.append(
            Task(
                kind="learning_face_check",
                title=_("Face check during study: %(outcome)s") % {"outcome": check.get_outcome_display()},
                url=reverse("learning:face_check", args=[check.pk]),
                due=timezone.localdate(check.requested_at),
                subject=check.supervisee.name,
            )
        )
    return tasks
