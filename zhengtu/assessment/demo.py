"""Demo data: the shipped instruments and some assessments, with reports, for existing demo supervisees.

Called by the demo seeding command; idempotent (supervisees that already have assessments are skipped).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.workdays.calendar import WorkingDayCalendar

from .definition import InstrumentDefinition
from .models import Assessment, Instrument
from .services.assessments import take_assessment
from .services.instruments import load_shipped_instruments
from .services.reports import issue_report

# How many supervisees get assessments, and how many reports are rendered (PDFs take time).
SCALES = {"county": (60, 12), "province": (400, 20), "nation": (400, 20)}


def _answers(definition: InstrumentDefinition, chooser: random.Random) -> dict[str, str]:
    answers: dict[str, str] = {}
    for item in definition.questions:
        choices = definition.choices.get(item.list_name, ())
        if choices:
            # Mostly the milder answers, as in a real caseload.
            weights = [max(1, len(choices) * 2 - 3 * index) for index in range(len(choices))]
            answers[item.name] = chooser.choices([c.name for c in choices], weights=weights)[0]
        elif item.type == "integer":
            answers[item.name] = str(chooser.randint(16, 45))
    return answers


def _assessor_for(supervisee: Supervisee) -> User | None:
    for user in User.objects.filter(is_active=True, organisation__path__startswith=supervisee.responsible_office.path):
        if can(user, Capability.ASSESS):
            return user
    if supervisee.responsible_officer and can(supervisee.responsible_officer, Capability.ASSESS):
        return supervisee.responsible_officer
    return None


def seed(*, scale: str) -> None:
    load_shipped_instruments()
    people, reports = SCALES.get(scale, SCALES["county"])
    chooser = random.Random(20261001)  # noqa: S311 - demo data, not security
    instruments = {i.code: i for i in Instrument.objects.filter(organisation__isnull=True, is_active=True)}
    calendar = WorkingDayCalendar.load()
    today = timezone.localdate()
    candidates = (
        Supervisee.objects.filter(status__in=[Status.UNDER_SUPERVISION, Status.PENDING_INTAKE])
        .exclude(pk__in=Assessment.objects.values("supervisee_id"))
        .select_related("responsible_office", "responsible_officer")
        .order_by("pk")[:people]
    )
    issued = 0
    for supervisee in candidates:
        assessor = _assessor_for(supervisee)
        if assessor is None:
            continue
        actor = Actor(user=assessor)
        for code in ("intake_example", "phq9", "gad7"):
            instrument = instruments.get(code)
            if instrument is None or instrument.current_version is None:
                continue
            received = max(supervisee.term_start, today - dt.timedelta(days=chooser.randint(0, 120)))
            assessment = take_assessment(
                actor=actor,
                supervisee=supervisee,
                instrument=instrument,
                answers=_answers(instrument.current_version.parsed, chooser),
                received_on=min(received, today),
                calendar=calendar,
            )
            if issued < reports and code == "intake_example":
                # Issued the working day after receipt, as the association did (seed 000).
                day = calendar.add_working_days(assessment.received_on, 1).due
                moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
                issue_report(actor=actor, assessment=assessment, issued_at=min(moment, timezone.now()))
                issued += 1
