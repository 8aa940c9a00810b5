"""Demo data of the association, shaped like seed 000: eight trainings this year with about 346 attendances
and a satisfaction near 98.7%, 22 unit and 259 individual members, supervisor credential filings (valid,
expiring, lapsed, waiting). DEMO DATA ONLY.

Idempotent: nothing is added once the association has trainings. Called by `manage.py seed_demo`; the scale
does not change the association's figures (it serves one city at every scale).
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from faker import Faker

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.orgs.services import create_organisation

from .models import FilingDocumentKind, MemberKind, SupervisorFiling, Training
from .services import filings, members, trainings

ASSOCIATION = "怀化市司法矫治协会"
CITY = "怀化市社区矫正管理局"
TOPICS = (
    ("社区矫正法律法规解读", "市司法局社区矫正科 李科长", "全市司法社工"),
    ("初始需求评估问卷与面谈技巧", "协会评估部 周老师", "驻所司法社工"),
    ("职业生涯规划", "湖南师范大学 刘副教授", "新入职司法社工"),
    ("人际沟通与危机处理", "心理咨询师 王老师", "驻所司法社工"),
    ("司法社会工作项目管理", "协会秘书长", "项目负责人及督导"),
    ("个案工作理论与实务", "中南大学 陈教授", "专项司法社工"),
    ("小组工作在社区矫正中的运用", "资深督导 黄老师", "专项司法社工"),
    ("服务台账与专业服务套表", "协会项目部", "全市司法社工"),
    ("社区矫正对象心理危机干预", "市心理援助中心 赵老师", "驻所司法社工"),
)
ATTENDANCE = (52, 38, 46, 41, 33, 47, 44, 45, 6)  # 346 person-times in 8 sessions held, as in seed 000
UNITS, INDIVIDUALS = 22, 259


def association_for_demo() -> Organisation:
    existing = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION, name=ASSOCIATION).first()
    if existing is not None:
        return existing
    city = (
        Organisation.objects.filter(kind=OrganisationKind.CITY_BUREAU, name=CITY).first()
        or Organisation.objects.filter(kind=OrganisationKind.CITY_BUREAU).order_by("pk").first()
        or create_organisation(name=CITY, kind=OrganisationKind.CITY_BUREAU)
    )
    return create_organisation(name=ASSOCIATION, kind=OrganisationKind.ASSOCIATION, parent=city)


def demo_admin(association: Organisation) -> Actor:
    admin = User.objects.filter(organisation=association, role=Role.ASSOCIATION_ADMIN).order_by("pk").first()
    return Actor(user=admin, username="demo")


def _trainings(actor: Actor, association: Organisation, rng: random.Random, fake: Faker, today: dt.date) -> None:
    trainings.ensure_default_questionnaire(actor=actor, association=association)
    items = trainings.active_questionnaire_items(association)
    staff = list(
        User.objects.filter(
            is_active=True, role__in=[Role.SOCIAL_WORKER, Role.AGENCY_MANAGER], organisation__isnull=False
        ).order_by("pk")[:20]
    )
    # Eight sessions spread over the year so far; a ninth is next week (registrations, nobody signed in yet).
    year_start = dt.date(today.year, 1, 1)
    span = max((today - year_start).days - 7, 8)
    for number, ((topic, trainer, audience), attendance) in enumerate(zip(TOPICS, ATTENDANCE, strict=True)):
        upcoming = number == len(TOPICS) - 1
        day = today + dt.timedelta(days=7) if upcoming else year_start + dt.timedelta(days=span * number // 8 + 1)
        starts = dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())
        training = trainings.create_training(
            actor=actor,
            association=association,
            topic=topic,
            trainer=trainer,
            audience=audience,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            place=rng.choice(("协会培训室", "市司法局三楼会议室", "市社会工作综合服务中心")),
            capacity=60,
        )
        people = []
        for user in rng.sample(staff, k=min(len(staff), 6)):
            people.append(trainings.register_user(actor=actor, training=training, user=user))
        while len(people) < attendance:
            try:
                people.append(
                    trainings.register_guest(
                        actor=actor,
                        training=training,
                        name=fake.name(),
                        phone=f"13{rng.randrange(10**9):09d}",
                        organisation_name=rng.choice(("溆浦县司法局", "辰溪县司法局", "湖南德馨社会工作服务中心")),
                    )
                )
            except ValidationError:  # the same phone number drawn twice
                continue
        if upcoming:
            continue
        for registration in people:
            arrived = starts - dt.timedelta(minutes=rng.randrange(1, 30))
            trainings.record_attendance(actor=actor, registration=registration, attended=True, at=arrived)
            if rng.random() < 0.85:
                # Mostly 5s and 4s; about one answer in eighty below 4, as the seed's 98.71% suggests.
                scores = {item.pk: 5 if rng.random() < 0.7 else (4 if rng.random() < 0.96 else 3) for item in items}
                trainings.submit_questionnaire(actor=actor, training=training, registration=registration, scores=scores)


def _members(actor: Actor, association: Organisation, rng: random.Random, fake: Faker, today: dt.date) -> None:
    agencies = list(Organisation.objects.filter(kind=OrganisationKind.AGENCY).order_by("pk"))
    for number in range(UNITS + 2):
        agency = agencies[number] if number < len(agencies) else None
        membership = members.apply_for_membership(
            actor=actor,
            association=association,
            kind=MemberKind.UNIT,
            name=agency.name if agency else f"{fake.city_name()}{fake.word()}社会工作服务中心",
            organisation=agency,
            contact_person=fake.name(),
            phone=fake.phone_number(),
            address=fake.address()[:200],
        )
        if number < UNITS:  # the last two wait for a decision
            members.decide_membership(actor=actor, membership=membership, approve=True, on_date=today)
    qualifications = ("助理社会工作师", "社会工作师", "社会工作师", "心理咨询师", "")
    for number in range(INDIVIDUALS + 1):
        membership = members.apply_for_membership(
            actor=actor,
            association=association,
            kind=MemberKind.INDIVIDUAL,
            name=fake.name(),
            employer=rng.choice([a.name for a in agencies] or ["社会工作服务中心"]),
            qualification=rng.choice(qualifications),
        )
        if number < INDIVIDUALS:
            members.decide_membership(actor=actor, membership=membership, approve=True, on_date=today)


def _certificate() -> list[tuple[str, SimpleUploadedFile]]:
    pdf = b"%PDF-1.4\n% demo certificate\n"
    return [(FilingDocumentKind.CERTIFICATE, SimpleUploadedFile("职业资格证书.pdf", pdf, "application/pdf"))]


def _filings(actor: Actor, association: Organisation, today: dt.date) -> None:
    """Valid, expiring, lapsed and waiting filings for the social workers of the agencies."""
    workers = list(User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True).order_by("pk")[:6])
    approval_dates = [
        today - dt.timedelta(days=400),
        today - dt.timedelta(days=3 * 365 - 40),
        today - dt.timedelta(days=3 * 365 + 60),
    ]
    for index, worker in enumerate(workers):
        agency = worker.organisation.nearest({OrganisationKind.AGENCY}) if worker.organisation else None
        filing = filings.submit_filing(
            actor=actor,
            association=association,
            supervisor=worker,
            agency=agency,
            qualification_level="intermediate",
            certificate_number=f"SW{today.year - 5}{index:04d}",
            education="社会工作专业本科",
            years_in_social_work=5 + index,
            years_supervising=index % 3,
            documents=_certificate(),
        )
        if index < len(approval_dates):
            filings.review_filing(actor=actor, filing=filing, decision="approve", on_date=approval_dates[index])


def _project_supervisor(today: dt.date) -> None:
    """Make the first filed social worker a supervisor of their agency's project (through the projects app)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from zhengtu.projects import services as project_services
    from zhengtu.projects.models import ServiceProject, StaffRole

    for filing in SupervisorFiling.objects.filter(agency__isnull=False).order_by("pk")[:2]:
        project = ServiceProject.objects.filter(agency=filing.agency).order_by("-period_start").first()
        manager = User.objects.filter(is_superuser=True).order_by("pk").first()
        if project is None or manager is None:
            continue
        try:
            project_services.add_staff(
                actor=Actor(user=manager),
                project=project,
                user=filing.supervisor,
                role=StaffRole.SUPERVISOR,
                joined_on=today,
            )
        except (PermissionDenied, ValidationError):
            continue


@transaction.atomic
def seed(*, scale: str) -> None:
    association = association_for_demo()
    if Training.objects.filter(association=association).exists():
        return
    rng = random.Random(20170101)  # noqa: S311 - demo data
    fake = Faker("zh_CN")
    fake.seed_instance(20170101)
    today = timezone.localdate()
    actor = demo_admin(association)
    _trainings(actor, association, rng, fake, today)
    _members(actor, association, rng, fake, today)
    _filings(actor, association, today)
    _project_supervisor(today)
