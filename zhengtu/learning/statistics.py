"""Figures of the learning app for the command centre's statistics (declared on LearningConfig.statistics_sources).

Hours of online study: what the server credited (see services/study.py), per study session on the day it was
studied, each session to the hundredth of an hour below (36 s); the drill-down lists the sessions. Group
sessions of the lecturer pool are in the services ledger and count in its figures ("services.hours").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast, Floor
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.models import User
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import StudySession

SECTION = _("Education and services")
# Whole hundredths of an hour (floored in SQL, the same on SQLite and PostgreSQL), then hours as a decimal:
# a sum of such values is exact on both databases.
STUDY_HOURS = ExpressionWrapper(
    Cast(Floor(F("counted_seconds") / Value(36.0)), IntegerField()) * Value(Decimal("0.01")),
    output_field=DecimalField(max_digits=12, decimal_places=2),
)


def _sessions(user: User) -> QuerySet[Any]:
    return StudySession.objects.filter(
        supervisee__in=supervisees_visible_to(user).values("pk"), counted_seconds__gt=0
    ).annotate(study_hours=STUDY_HOURS)


def _describe(session: Any) -> tuple[str, str]:
    what = session.lesson.title if session.lesson_id else _("Exam")
    return (
        f"{session.supervisee.name} · {what} · {session.study_hours} h",
        reverse("learning:person", args=[session.supervisee_id]),
    )


def sources() -> list[Any]:
    from zhengtu.command.figures import Figure

    return [
        Figure(
            key="learning.hours",
            title=_("Hours of online study"),
            section=SECTION,
            records=_sessions,
            office="supervisee__responsible_office_id",
            date="studied_on",
            total_of="study_hours",
            unit=_("hours"),
            describe=_describe,
            select_related=("supervisee", "lesson"),
            note=_(
                "Time the server credited while lessons were studied honestly (visible, played at normal "
                "speed, face checks passed), per study session to the hundredth of an hour."
            ),
        )
    ]
