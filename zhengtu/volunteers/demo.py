"""Demo volunteers, training records and a talent studio for the 溆浦 agency (seed 004: "专业社工+志愿服务",
the 名师工作室). DEMO DATA ONLY. Idempotent: nothing is added once any volunteer exists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.juvenile.models import JuvenileCase

from .models import Volunteer
from .services import (
    add_studio_member,
    add_studio_output,
    assign_volunteer,
    confirm_hours,
    create_studio,
    link_studio_case,
    log_hours,
    record_supervision_session,
    record_training,
    register_volunteer,
)

VOLUNTEERS = (
    ("刘春", "调解、家访陪同", "周末全天", 16),
    ("曾雅琴", "课业辅导（初中数学）", "工作日晚上", 24),
    ("张伟", "心理陪伴（国家三级心理咨询师）", "周六上午", 40),
    ("黄小燕", "绘画、手工小组", "周日下午", 8),
    ("向东", "法治宣讲", "每月两次", 12),
    ("舒婷", "家庭教育指导", "周末", 20),
)


@transaction.atomic
def seed(*, scale: str) -> None:
    if Volunteer.objects.exists():
        return
    worker = User.objects.filter(username="sw_xupu").first()
    manager = User.objects.filter(username="manager_xupu").first()
    if worker is None or manager is None or worker.organisation is None:
        return
    agency = worker.organisation
    today = timezone.localdate()
    as_worker, as_manager = Actor(user=worker, username="demo"), Actor(user=manager, username="demo")
    people = [
        register_volunteer(
            actor=as_worker,
            organisation=agency,
            name=name,
            phone=f"1357450{n:04d}",
            skills=skills,
            availability=when,
            background_checked_on=today - dt.timedelta(days=90 + 30 * n),
            training_hours=Decimal(hours),
        )
        for n, (name, skills, when, hours) in enumerate(VOLUNTEERS)
    ]
    open_cases = list(
        JuvenileCase.objects.filter(agency=agency, sealed_at__isnull=True, stage__in=["service", "plan", "assessment"])
    )
    for person, case in zip(people, open_cases, strict=False):
        assignment = assign_volunteer(
            actor=as_worker, volunteer=person, juvenile_case=case, task="协助社工开展陪伴与辅导",
            started_on=today - dt.timedelta(days=30),
        )  # fmt: skip
        for weeks in (3, 2, 1):
            entry = log_hours(
                actor=as_worker,
                assignment=assignment,
                worked_on=today - dt.timedelta(weeks=weeks),
                hours=Decimal("2"),
                activity="陪伴与课业辅导",
            )
            if weeks > 1:
                confirm_hours(actor=as_manager, entry=entry)
    staff = list(User.objects.filter(organisation=agency, role__in=[Role.SOCIAL_WORKER, Role.AGENCY_MANAGER]))
    for n, member in enumerate(staff):
        for month, (topic, hours) in enumerate((("未成年人司法社会工作服务规范解读", 6), ("社会调查报告撰写", 8))):
            day = today.replace(month=max(today.month - month - 1, 1), day=10)
            record_training(
                actor=as_manager if member != manager else as_worker,
                worker=member,
                attended_on=min(day, today),
                topic=topic,
                provider="怀化市司法矫治协会",
                hours=Decimal(hours + 8 * (n % 2)),
            )
    record_supervision_session(
        actor=as_manager,
        supervisor_name="黄督导",
        held_on=today - dt.timedelta(days=7),
        hours=Decimal(2),
        topic="社会调查个案督导",
        workers=staff,
        notes="讨论访谈提纲与报告结论的证据支撑。",
    )
    studio = create_studio(
        actor=as_manager,
        organisation=agency,
        name="溆浦县未成年人司法社工名师工作室",
        description="领衔人＋核心成员＋普通成员，实体化运行、项目化运转（参照青·广名师联名工作室）。",
        founded_on=today.replace(month=1, day=1),
    )
    for name, role, background in (
        ("周教授", "lead", "湖南师范大学社会工作系"),
        ("刘芳", "core", "湖南德馨社会工作服务中心项目负责人"),
        ("张晓燕", "member", "驻所司法社工"),
        ("向老书记", "member", "退休社区党支部书记"),
    ):
        add_studio_member(actor=as_manager, studio=studio, name=name, role=role, background=background)
    add_studio_output(
        actor=as_manager, studio=studio, title="未成年人社会调查访谈提纲（试行）", kind="实务工具",
        produced_on=today - dt.timedelta(days=20), description="涵盖监护人、学校、邻居、派出所四类调查对象。",
    )  # fmt: skip
    for case in open_cases[:2]:
        link_studio_case(actor=as_worker, studio=studio, case=case)
