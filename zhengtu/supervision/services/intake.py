"""Intake (入矫): legal documents received, the 10-day reporting deadline, registration, announcement, team, plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.models import GeneratedDocument
from zhengtu.documents.services import chinese_date, in_document_language, issue_document
from zhengtu.supervisees.models import Status, Supervisee, SupervisionLevel
from zhengtu.supervisees.services import change_status
from zhengtu.workdays.calendar import Deadline, WorkingDayCalendar

from ..documents import INTAKE_ANNOUNCEMENT, supervisee_context
from ..models import LevelChangeSource, SupervisionFile, TeamMember, TeamRole
from ..rules import reporting_deadline_days
from ..selectors import team_of
from .access import NOT_ALLOWED
from .levels import change_supervision_level


@dataclass(frozen=True)
class TeamMemberInput:
    role: str
    name: str
    phone: str = ""
    unit: str = ""
    user: User | None = None


def reporting_deadline(start: dt.date, calendar: WorkingDayCalendar | None = None) -> Deadline:
    """The last day to report: N days after the judgment took effect; a rest day rolls to the next working day.

    Periods of days in Chinese procedure do not count the first day and end on the next working day when
    their last day is a holiday, hence the calendar.
    """
    calendar = calendar or WorkingDayCalendar.load()
    due = start + dt.timedelta(days=reporting_deadline_days())
    fallback: set[int] = set()
    while True:
        if not calendar.knows_year(due.year):
            fallback.add(due.year)
        if calendar.is_working_day(due):
            return Deadline(due=due, fallback_years=frozenset(fallback))
        due += dt.timedelta(days=1)


def get_or_create_file(supervisee: Supervisee) -> SupervisionFile:
    supervision_file, _created = SupervisionFile.objects.get_or_create(supervisee=supervisee)
    return supervision_file


@transaction.atomic
def record_documents_received(*, actor: Actor, supervisee: Supervisee, received_on: dt.date) -> SupervisionFile:
    """The legal documents arrived: from now on the reporting deadline is tracked and late arrival flagged."""
    acting_user(actor, Capability.EDIT_SUPERVISEES, refusal=NOT_ALLOWED)
    if supervisee.status != Status.PENDING_INTAKE:
        raise ValidationError(_("The documents are recorded before intake; this person's intake is already done."))
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    supervision_file = get_or_create_file(supervisee)
    supervision_file.documents_received_on = received_on
    deadline = reporting_deadline(supervisee.judgment_effective_date or received_on)
    supervision_file.reporting_deadline = deadline.due
    supervision_file.reporting_deadline_approximate = deadline.is_approximate
    supervision_file.save(
        update_fields=["documents_received_on", "reporting_deadline", "reporting_deadline_approximate"]
    )
    record_event(
        actor,
        action=Action.UPDATE,
        target=supervisee,
        detail={"documents_received_on": received_on.isoformat(), "reporting_deadline": deadline.due.isoformat()},
    )
    from .due import refresh_due_items

    refresh_due_items(supervisee_ids=[supervisee.pk])
    return supervision_file


def _add_team(supervisee: Supervisee, team: Sequence[TeamMemberInput], joined_on: dt.date) -> list[TeamMember]:
    members = []
    for member in team:
        if member.role not in TeamRole.values:
            raise ValidationError({"team": _("Choose the role of each team member.")})
        if not member.name.strip():
            raise ValidationError({"team": _("Enter the name of each team member.")})
        members.append(
            TeamMember.objects.create(
                supervisee=supervisee,
                role=member.role,
                name=member.name.strip(),
                phone=member.phone.strip(),
                unit=member.unit.strip(),
                user=member.user,
                joined_on=joined_on,
            )
        )
    return members


@transaction.atomic
def register_intake(
    *,
    actor: Actor,
    supervisee: Supervisee,
    reported_on: dt.date,
    initial_level: str,
    announced_on: dt.date,
    announcement_place: str,
    correction_plan: str = "",
    plan_measures: str = "",
    team: Sequence[TeamMemberInput] = (),
    documents_received_on: dt.date | None = None,
) -> GeneratedDocument:
    """The person reported: register them, announce, set the level, team and plan. Returns the announcement."""
    user = acting_user(actor, Capability.EDIT_SUPERVISEES, refusal=NOT_ALLOWED)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if reported_on > today:
        errors["reported_on"] = _("The reporting date cannot be in the future.")
    if announced_on < reported_on:
        errors["announced_on"] = _("The announcement cannot come before the person reported.")
    if announced_on > today:
        errors["announced_on"] = _("The announcement date cannot be in the future.")
    if initial_level not in SupervisionLevel.values:
        errors["initial_level"] = _("Choose the initial supervision level.")
    if not announcement_place.strip():
        errors["announcement_place"] = _("Enter where the announcement was made.")
    if documents_received_on is not None and documents_received_on > today:
        errors["documents_received_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    # The state machine decides first: a forbidden transition refuses the whole intake.
    change_status(actor=actor, supervisee=supervisee, to_status=Status.UNDER_SUPERVISION, reason=_("Intake"))
    supervision_file = get_or_create_file(supervisee)
    if documents_received_on is not None:
        supervision_file.documents_received_on = documents_received_on
    if supervision_file.reporting_deadline is None:
        start = supervisee.judgment_effective_date or supervision_file.documents_received_on
        if start is not None:
            deadline = reporting_deadline(start)
            supervision_file.reporting_deadline = deadline.due
            supervision_file.reporting_deadline_approximate = deadline.is_approximate
    supervision_file.reported_on = reported_on
    supervision_file.registered_at = timezone.now()
    supervision_file.registered_by = user
    supervision_file.announced_on = announced_on
    supervision_file.announcement_place = announcement_place.strip()
    supervision_file.correction_plan = correction_plan.strip()
    supervision_file.plan_measures = plan_measures.strip()
    supervision_file.plan_updated_at = timezone.now()
    supervision_file.save()
    change_supervision_level(
        actor=actor, supervisee=supervisee, to_level=initial_level, source=LevelChangeSource.INTAKE
    )
    _add_team(supervisee, team, reported_on)
    record_event(
        actor,
        action=Action.CREATE,
        target=supervision_file,
        detail={"intake": True, "reported_on": reported_on.isoformat(), "late": supervision_file.arrival_overdue},
    )
    document = _issue_announcement(actor=actor, supervisee=supervisee, supervision_file=supervision_file)
    # The pre-sentence investigation of the same person, if the bureau answered one, joins the file.
    from zhengtu.investigations.services import link_intake

    link_intake(supervisee)
    from .due import refresh_due_items

    refresh_due_items(supervisee_ids=[supervisee.pk])
    return document


@in_document_language
def _issue_announcement(
    *, actor: Actor, supervisee: Supervisee, supervision_file: SupervisionFile
) -> GeneratedDocument:
    team = [
        {"role": str(member.get_role_display()), "name": member.name}
        for member in team_of(supervisee, current_only=True)
    ]
    context = {
        **supervisee_context(supervisee),
        "announced_on": chinese_date(supervision_file.announced_on),
        "announcement_place": supervision_file.announcement_place,
        "team": team,
        # The announcement is signed on the day it is read out, not on the day it is printed.
        "issued_on": chinese_date(supervision_file.announced_on),
    }
    return issue_document(
        actor=actor,
        code=INTAKE_ANNOUNCEMENT,
        organisation=supervisee.responsible_office,
        supervisee=supervisee,
        context=context,
    )


@transaction.atomic
def add_team_member(*, actor: Actor, supervisee: Supervisee, member: TeamMemberInput) -> TeamMember:
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    created = _add_team(supervisee, [member], timezone.localdate())[0]
    record_event(actor, action=Action.CREATE, target=created, detail={"supervisee": supervisee.pk})
    return created


@transaction.atomic
def remove_team_member(*, actor: Actor, member: TeamMember) -> TeamMember:
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    if member.left_on is None:
        member.left_on = timezone.localdate()
        member.save(update_fields=["left_on"])
        record_event(actor, action=Action.UPDATE, target=member, detail={"left_on": member.left_on.isoformat()})
    return member


@transaction.atomic
def update_correction_plan(
    *, actor: Actor, supervisee: Supervisee, correction_plan: str, plan_measures: str
) -> SupervisionFile:
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    if not correction_plan.strip():
        raise ValidationError({"correction_plan": _("Enter the correction plan.")})
    supervision_file = get_or_create_file(supervisee)
    supervision_file.correction_plan = correction_plan.strip()
    supervision_file.plan_measures = plan_measures.strip()
    supervision_file.plan_updated_at = timezone.now()
    supervision_file.save(update_fields=["correction_plan", "plan_measures", "plan_updated_at"])
    record_event(actor, action=Action.UPDATE, target=supervision_file, detail={"fields": ["correction_plan"]})
    return supervision_file
