"""Demo data of supervision inspections: the standard rubric, an expert pool (the demo inspector accounts
plus external experts), and this year's round over the projects of the city with panels drawn at random,
one project scored, finalised and under rectification, another waiting for the demo inspector's scores.
DEMO DATA ONLY.

Idempotent: nothing is added once the association has a round. Called by `manage.py seed_demo`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.association.demo import association_for_demo, demo_admin
from zhengtu.projects.models import ServiceProject

from .models import Expert, InspectionRound, RectificationItem, RubricTemplate, Specialty
from .services import experts, findings, rounds
from .services.rubrics import create_standard_rubric
from .services.scoresheets import indicators_of, save_scoresheet

EXTERNAL_EXPERTS = (
    ("刘建华", Specialty.SOCIAL_WORK, "教授", "湖南师范大学社会学系"),
    ("陈晓燕", Specialty.SOCIAL_WORK, "高级社会工作师", "长沙市社会工作协会"),
    ("王立新", Specialty.LAW, "律师", "湖南五溪律师事务所"),
    ("赵敏", Specialty.FINANCE, "注册会计师", "怀化天正会计师事务所"),
    ("孙卫东", Specialty.CORRECTIONS, "副研究员", "省社区矫正研究中心"),
    ("李芳", Specialty.PSYCHOLOGY, "国家二级心理咨询师", "怀化学院心理健康教育中心"),
    ("周伟", Specialty.PROJECT_MANAGEMENT, "高级经济师", "怀化学院公共管理学院"),
    ("黄丽", Specialty.FINANCE, "高级会计师", "市财政评审中心"),
)


def _pool(actor, association, today: dt.date) -> list[Expert]:  # type: ignore[no-untyped-def]
    term = (dt.date(today.year - 1, 1, 1), dt.date(today.year + 2, 12, 31))
    pool = []
    area = association.parent or association
    inspectors = User.objects.filter(role=Role.INSPECTOR, is_active=True, organisation__path__startswith=area.path)
    for user in inspectors.select_related("organisation").order_by("pk"):
        pool.append(
            experts.create_expert(
                actor=actor,
                association=association,
                name=user.display_name,
                specialty=Specialty.SOCIAL_WORK,
                user=user,
                employer_name=user.organisation.name if user.organisation else "",
                term_start=term[0],
                term_end=term[1],
            )
        )
    for name, specialty, title, employer in EXTERNAL_EXPERTS:
        pool.append(
            experts.create_expert(
                actor=actor,
                association=association,
                name=name,
                specialty=specialty,
                title=title,
                employer_name=employer,
                term_start=term[0],
                term_end=term[1],
                is_available=name != "黄丽",
                availability_note="外出学习至年底" if name == "黄丽" else "",
            )
        )
    return pool


def _score(actor, inspection, expert: Expert, deduction: Decimal) -> None:  # type: ignore[no-untyped-def]
    points = {}
    remaining = deduction
    for indicator in sorted(indicators_of(inspection), key=lambda i: -i.weight):
        taken = min(remaining, indicator.weight / 2)
        points[indicator.pk] = indicator.weight - taken
        remaining -= taken
    save_scoresheet(actor=actor, inspection=inspection, expert=expert, points=points, submit=True)


@transaction.atomic
def seed(*, scale: str) -> None:
    association = association_for_demo()
    if InspectionRound.objects.filter(association=association).exists():
        return
    actor = demo_admin(association)
    today = timezone.localdate()
    rubric = RubricTemplate.objects.filter(association=association).first() or create_standard_rubric(
        actor=actor, association=association
    )
    pool = _pool(actor, association, today)
    area = association.parent or association
    projects = list(ServiceProject.objects.filter(buying_bureau__path__startswith=area.path).order_by("name")[:12])
    inspection_round = rounds.create_round(
        actor=actor,
        association=association,
        title=f"{today.year}年度司法社会工作项目督导巡查",
        rubric=rubric,
        starts_on=today - dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=25),
        basis=f"根据《关于开展{today.year}年度司法社会工作项目督导巡查工作的通知》相关规定，协会组织专家组对市、区两级司法社会工作项目进行督导巡查。",
        aims="通过督导巡查，促进各司法社工项目在制度建设、运营管理、服务内容、绩效产出等方面的完善，做到以评促建、以评促改。",
        content="采用项目情况汇报、项目实地考察、文件资料查阅、意见建议收集、专家小组分析评价的方式，从专业服务和财务管理两方面进行督导巡查。",
    )
    if not projects:
        return
    inspections = rounds.add_projects(actor=actor, inspection_round=inspection_round, projects=projects)
    demo_inspector = next((e for e in pool if e.user and e.user.username == "inspector_city"), None)
    panels = []
    for number in range(1, min(len(inspections), 3) + 1):
        panel = rounds.create_panel(actor=actor, inspection_round=inspection_round, name=f"第{number}督导组")
        if number == 1 and demo_inspector is not None:
            rounds.add_panel_member(actor=actor, panel=panel, expert=demo_inspector, reason="演示：市级专家担任组长")
        rounds.draw_panel(
            actor=actor,
            panel=panel,
            size=3,
            required_specialties=[Specialty.FINANCE] if number == 1 else [],
            seed=today.year * 100 + number,
        )
        panels.append(panel)
    for number, inspection in enumerate(list(inspections)):
        # Round-robin over the panels, skipping a panel with a conflict of interest for this project.
        for offset in range(len(panels)):
            panel = panels[(number + offset) % len(panels)]
            try:
                rounds.assign_panel(actor=actor, inspection=inspection, panel=panel)
                break
            except ValidationError:
                continue
        else:
            rounds.remove_inspection(actor=actor, inspection=inspection)
            inspections.remove(inspection)
            continue
        rounds.schedule_visit(
            actor=actor,
            inspection=inspection,
            visit_on=today - dt.timedelta(days=10 - number % 10),
            summary="项目团队按协议配置到位，驻所社工工作态度积极，服务指标基本按时间进度完成。",
        )
    if not inspections:
        return
    rounds.start_round(actor=actor, inspection_round=inspection_round)
    first = inspections[0]
    findings.record_activity(
        actor=actor,
        inspection=first,
        kind="site_visit",
        occurred_on=first.visit_on or today,
        participants="专家组、项目负责人、驻所社工",
        notes="实地查看服务场地、档案室，抽查个案档案10份。",
    )
    problem = findings.add_finding(
        actor=actor,
        inspection=first,
        kind="problem",
        text="部分服务台账记录不完整，专业服务套表填写不规范。",
        recommendation="按照统一的服务台账和专业服务套表补齐记录，每月自查。",
        section=rubric.sections.filter(title="项目运营管理").first(),
    )
    findings.add_finding(
        actor=actor,
        inspection=first,
        kind="strength",
        text="与司法所建立了每月联席会议机制，沟通顺畅。",
        section=rubric.sections.filter(title="项目运营管理").first(),
    )
    # Everyone on the first panel except the demo inspector scores; the demo inspector's task stays open.
    seated = [m.expert for m in first.panel.members.select_related("expert__user")] if first.panel else []
    for expert, deduction in zip(
        [e for e in seated if not (e.user and e.user.username == "inspector_city")],
        (Decimal(9), Decimal(14)),
        strict=False,
    ):
        _score(actor, first, expert, deduction)
    if len(inspections) > 1:
        second = inspections[1]
        for expert, deduction in zip(
            [m.expert for m in second.panel.members.all()] if second.panel else [],
            (Decimal(7), Decimal(8), Decimal(25)),
            strict=False,
        ):
            _score(actor, second, expert, deduction)
        rounds.finalise_inspection(actor=actor, inspection=second)
        item = findings.create_rectification(
            actor=actor, inspection=second, description="补齐上半年服务台账并报司法所确认。", finding=None
        )
        # Demo realism: one item already overdue, so the agency's "my tasks" shows it.
        RectificationItem.objects.filter(pk=item.pk).update(due_on=today - dt.timedelta(days=3))
    findings.create_rectification(actor=actor, inspection=first, description=problem.recommendation, finding=problem)
    if len(inspections) == 1:
        late = findings.create_rectification(
            actor=actor, inspection=first, description="报送项目督导人员的资质备案材料。", finding=None
        )
        # Demo realism: one item already overdue, so the agency's "my tasks" shows it.
        RectificationItem.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=2))
