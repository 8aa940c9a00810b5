"""Demo data of the supervision workflow for existing demo supervisees. DEMO DATA ONLY.

Idempotent: supervisees that already have a supervision file are left alone. History (files, check-ins,
visits) is written in bulk as an import would; a few intakes and a pending leave go through the real
services, so their documents, approvals and notifications exist too.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.db import transaction
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Status, Supervisee

from .models import CheckIn, CheckInChannel, CheckInKind, LeaveRequest, SupervisionFile, Visit, VisitKind
from .rules import frequency_for
from .services.due import refresh_due_items
from .services.intake import TeamMemberInput, record_documents_received, register_intake
from .services.leave import request_leave

logger = logging.getLogger(__name__)

# (supervisees given a history, intakes registered through the service)
SCALES = {"county": (400, 4), "city": (2_000, 4), "province": (3_000, 4), "nation": (3_000, 4)}
NOTES = (
    "在家务农，家庭关系和睦，情绪稳定。",
    "在县城务工，按时报告，无异常。",
    "与家属交谈，了解其近期思想动态，表现良好。",
    "居住地未变更，遵守监督管理规定。",
)
REPORTS = (
    "本月认真遵守社区矫正各项规定，按时报告，参加教育学习和公益活动。",
    "通过学习认识到自己的错误，今后一定遵纪守法。",
)


def _officer_of(supervisee: Supervisee) -> User | None:
    if supervisee.responsible_officer and can(supervisee.responsible_officer, Capability.EDIT_SUPERVISEES):
        return supervisee.responsible_officer
    for user in User.objects.filter(organisation=supervisee.responsible_office, is_active=True):
        if can(user, Capability.EDIT_SUPERVISEES):
            return user
    return None


@transaction.atomic
def _histories(supervisees: list[Supervisee], *, rng: random.Random, today: dt.date) -> int:
    files, check_ins, visits = [], [], []
    for supervisee in supervisees:
        reported = supervisee.term_start + dt.timedelta(days=rng.randint(0, 6))
        files.append(
            SupervisionFile(
                supervisee=supervisee,
                documents_received_on=supervisee.term_start - dt.timedelta(days=3),
                reporting_deadline=supervisee.term_start + dt.timedelta(days=10),
                reported_on=reported,
                announced_on=reported,
                announcement_place=supervisee.responsible_office.name,
                correction_plan="按期报告，参加教育学习和公益活动，定期走访。",
            )
        )
        frequency = frequency_for(supervisee.supervision_level)
        # The last few check-ins, reports and visits; some people fall behind so that overdue items exist.
        lag = rng.choice((0, 0, 0, 5, 12))
        for kind, interval in (
            (CheckInKind.CHECK_IN, frequency.checkin_days),
            (CheckInKind.WRITTEN_REPORT, frequency.written_report_days),
        ):
            day = today - dt.timedelta(days=lag + rng.randint(0, max(interval - 1, 0)))
            for _ in range(3):
                if day < reported:
                    break
                check_ins.append(
                    CheckIn(
                        supervisee=supervisee,
                        kind=kind,
                        channel=rng.choice(CheckInChannel.values),
                        occurred_on=day,
                        content=rng.choice(REPORTS) if kind == CheckInKind.WRITTEN_REPORT else "",
                    )
                )
                day -= dt.timedelta(days=interval)
        visit_day = today - dt.timedelta(days=lag + rng.randint(0, frequency.visit_days - 1))
        if visit_day >= reported:
            visits.append(
                Visit(
                    supervisee=supervisee,
                    kind=rng.choice((VisitKind.ROUTINE, VisitKind.ROUTINE, VisitKind.FOCUS)),
                    visited_on=visit_day,
                    place=supervisee.residence_address or supervisee.responsible_office.name,
                    notes=rng.choice(NOTES),
                )
            )
    SupervisionFile.objects.bulk_create(files, batch_size=1000)
    CheckIn.objects.bulk_create(check_ins, batch_size=2000)
    Visit.objects.bulk_create(visits, batch_size=2000)
    return len(files)


def _intakes(count: int, *, today: dt.date) -> int:
    done = 0
    pending = Supervisee.objects.filter(status=Status.PENDING_INTAKE, supervision_file__isnull=True).select_related(
        "responsible_office", "responsible_officer"
    )
    for supervisee in pending[: count * 3]:
        officer = _officer_of(supervisee)
        if officer is None:
            continue
        actor = Actor(user=officer, username=officer.username)
        record_documents_received(actor=actor, supervisee=supervisee, received_on=today - dt.timedelta(days=2))
        if done < count:
            register_intake(
                actor=actor,
                supervisee=supervisee,
                reported_on=today,
                initial_level=supervisee.supervision_level,
                announced_on=today,
                announcement_place=f"{supervisee.responsible_office.name}宣告室",
                correction_plan="每周到司法所报告，每月提交思想汇报，参加教育学习。",
                team=[TeamMemberInput(role="officer", name=officer.display_name, user=officer)],
            )
            done += 1
    return done


def _pending_leave(*, today: dt.date) -> bool:
    """One 10-day leave waiting for the county bureau, in an office with a demo officer."""
    if LeaveRequest.objects.exists():
        return False
    for supervisee in Supervisee.objects.filter(
        status=Status.UNDER_SUPERVISION, supervision_file__isnull=False
    ).select_related("responsible_office", "responsible_officer")[:200]:
        officer = _officer_of(supervisee)
        if officer is None or supervisee.term_end < today + dt.timedelta(days=30):
            continue
        start = today + dt.timedelta(days=5)
        request_leave(
            actor=Actor(user=officer, username=officer.username),
            supervisee=supervisee,
            start_date=start,
            end_date=start + dt.timedelta(days=9),
            destination="湖南省长沙市岳麓区",
            reason="陪同母亲到省城医院复查",
        )
        return True
    return False


def _pending_cross_city(*, today: dt.date) -> bool:
    """One 经常性跨市县活动 request waiting for the office's second officer (separation of duties)."""
    from .models import Permit
    from .services.permits import request_permit

    if Permit.objects.exists():
        return False
    for supervisee in Supervisee.objects.filter(
        status=Status.UNDER_SUPERVISION, supervision_file__isnull=False
    ).select_related("responsible_office", "responsible_officer")[:200]:
        officer = _officer_of(supervisee)
        if officer is None or supervisee.term_end < today + dt.timedelta(days=120):
            continue
        if User.objects.filter(organisation=supervisee.responsible_office, is_active=True).count() < 2:
            continue
        start = today + dt.timedelta(days=3)
        request_permit(
            actor=Actor(user=officer, username=officer.username),
            supervisee=supervisee,
            kind="cross_city",
            subject="怀化市鹤城区、长沙市",
            reason="在怀化、长沙两地从事货运，需经常往返",
            start_date=start,
            end_date=start + dt.timedelta(days=90),
        )
        return True
    return False


def seed(*, scale: str) -> None:
    histories, intakes = SCALES.get(scale, SCALES["county"])
    rng = random.Random(20261122)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    without_file = list(
        Supervisee.objects.filter(status=Status.UNDER_SUPERVISION, supervision_file__isnull=True)
        .select_related("responsible_office")
        .order_by("pk")[:histories]
    )
    created = _histories(without_file, rng=rng, today=today) if without_file else 0
    registered = _intakes(intakes, today=today)
    leave = _pending_leave(today=today)
    _pending_cross_city(today=today)
    _appraisals_and_searches(today=today)
    refresh_due_items()
    logger.info("Supervision demo: %d histories, %d intakes, pending leave: %s.", created, registered, leave)


def _demo_people(count: int) -> list[tuple[Supervisee, User]]:
    """People under supervision with a file and an officer, those of the demo officer of 卢峰 first."""
    people: list[tuple[Supervisee, User]] = []
    queryset = Supervisee.objects.filter(status=Status.UNDER_SUPERVISION, supervision_file__isnull=False)
    lufeng = User.objects.filter(username="officer_lufeng").values("organisation_id")
    for supervisee in list(
        queryset.filter(responsible_office__in=lufeng).select_related("responsible_office")[:count]
    ) + list(queryset.exclude(responsible_office__in=lufeng).select_related("responsible_office")[:count]):
        officer = _officer_of(supervisee)
        if officer is not None and supervisee.term_end > timezone.localdate() + dt.timedelta(days=30):
            people.append((supervisee, officer))
        if len(people) >= count:
            break
    return people


def _appraisals_and_searches(*, today: dt.date) -> int:
    """Three months of appraisals for a few people (one run of poor months suggests strict supervision), a plan
    review, one search under way and one closed when the person was found."""
    from .models import Appraisal, SearchOutcome
    from .services.absconding import close_search, open_search, record_search_step
    from .services.appraisal import record_appraisal, review_plan

    if Appraisal.objects.exists():
        return 0
    people = _demo_people(5)
    months = []
    first = today.replace(day=1)
    for _ in range(3):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    scores = ((93, 88, 91), (85, 82, 90), (62, 55, 58), (78, 74, 80), (95, 92, 90))
    for (supervisee, officer), row in zip(people, scores, strict=False):
        actor = Actor(user=officer, username=officer.username)
        last = None
        for month, score in zip(reversed(months), row, strict=True):
            last = record_appraisal(
                actor=actor,
                supervisee=supervisee,
                period="month",
                period_start=month,
                score=score,
                notes="按时报到，积极参加教育学习和公益活动。" if score >= 80 else "多次迟到报到，思想汇报敷衍。",
            )
        review_plan(
            actor=actor,
            supervisee=supervisee,
            reviewed_on=today,
            findings="矫正小组评估：就业稳定，家庭支持良好。"
            if row[-1] >= 80
            else "矫正小组评估：近两月考核较差，需加强监管。",
            plan_changes="" if row[-1] >= 80 else "每周到司法所报到一次，每半月走访一次，增加心理辅导。",
            appraisal=last,
        )
    now = timezone.now()
    if len(people) >= 2:
        (found_person, officer), (missing_person, officer2) = people[3 % len(people)], people[2 % len(people)]
        actor = Actor(user=officer, username=officer.username)
        closed = open_search(
            actor=actor,
            supervisee=found_person,
            trigger="missed_check_ins",
            lost_contact_at=now - dt.timedelta(days=20),
            notes="连续两次未按时报到，电话无人接听。",
        )
        record_search_step(
            actor=actor, record=closed, kind="family", taken_at=now - dt.timedelta(days=20, hours=-3),
            notes="联系其母亲，称其在长沙务工，手机丢失。",
        )  # fmt: skip
        close_search(
            actor=actor, record=closed, outcome=SearchOutcome.FOUND, notes="已通过家属联系到本人，次日到所报到。"
        )
        actor2 = Actor(user=officer2, username=officer2.username)
        under_way = open_search(
            actor=actor2,
            supervisee=missing_person,
            trigger="not_found",
            lost_contact_at=now - dt.timedelta(hours=30),
            notes="走访时不在家中，邻居称已多日未见。",
        )
        record_search_step(
            actor=actor2, record=under_way, kind="phone", taken_at=now - dt.timedelta(hours=28),
            notes="拨打本人电话，已关机。",
        )  # fmt: skip
        _sent_request(people[0], today=today)
    return len(people)


def _sent_request(person: tuple[Supervisee, User], *, today: dt.date) -> bool:
    """A request for sentence reduction approved by the office and the bureau and sent to the court: its decision
    waits to be recorded on the page (supervision:sanction_decision)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .models import ApprovalStatus, StepStatus
    from .services.approvals import decide
    from .services.sanctions import propose_sanction

    supervisee, officer = person
    sanction = propose_sanction(
        actor=Actor(user=officer, username=officer.username),
        supervisee=supervisee,
        kind="sentence_reduction",
        facts="矫正期间认真遵守监督管理规定，积极参加公益活动，连续三个月考核为“好”，并有见义勇为表现。",
        occurred_on=today - dt.timedelta(days=5),
        receiving_organ="怀化市中级人民法院",
        evidence=[SimpleUploadedFile("考核材料.txt", "月度考核表三份；见义勇为证明一份。".encode())],
    )
    approval = sanction.approval
    while approval.status == ApprovalStatus.PENDING:
        step = approval.steps.filter(status=StepStatus.PENDING).first()
        if step is None:
            return False
        colleagues = User.objects.filter(organisation=step.organisation, is_active=True).exclude(pk=officer.pk)
        decider = next((user for user in colleagues if can(user, step.capability)), None)
        if decider is None:
            return False
        approval = decide(actor=Actor(user=decider, username=decider.username), request=approval, approve=True)
    return approval.status == ApprovalStatus.APPROVED
