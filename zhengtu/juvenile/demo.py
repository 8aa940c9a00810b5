"""Demo juvenile cases, shaped like seed 004's typical cases: referrals from the 溆浦 procuratorate to the
social-work agency, one of each service, a social investigation sent back, a conditional non-prosecution under
way, an appropriate-adult roster, and one sealed case. DEMO DATA ONLY.

Idempotent: nothing is added once any juvenile case exists. Called by `manage.py seed_demo`; the scale does not
change these figures.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import OrganisationKind

from .models import JuvenileCase, ServiceType
from .services import cases, investigations, measures
from .services.sealing import seal_case

# (service type, child, sex, age, summary, steps taken after intake)
CASES = (
    (ServiceType.SOCIAL_INVESTIGATION, "向某某", "male", 16, "涉嫌盗窃电动车电瓶，检察院委托开展社会调查", 0),
    (ServiceType.HELP_AND_EDUCATION, "舒某某", "male", 17, "抢夺案附条件不起诉，考验期内帮教", 3),
    (ServiceType.APPROPRIATE_ADULT, "米某某", "female", 15, "监护人无法到场，申请合适成年人参与询问", 1),
    (ServiceType.MISCONDUCT_INTERVENTION, "钱某某", "male", 14, "多次夜不归宿、旷课，学校转介临界预防", 2),
    (ServiceType.VICTIM_PROTECTION, "林某某", "female", 11, "被猥亵案被害人，心理疏导与家庭赋能", 4),
    (ServiceType.FAMILY_CASE, "田某某", "female", 9, "离婚案件中子女抚养观护", 5),
    (ServiceType.SERIOUS_MISCONDUCT, "谌某某", "male", 15, "结伙殴打他人，专门矫治教育", 6),
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _birth(today: dt.date, age: int) -> dt.date:
    return today.replace(year=today.year - age) - dt.timedelta(days=40)


@transaction.atomic
def seed(*, scale: str) -> None:
    if JuvenileCase.objects.exists():
        return
    prosecutor, worker, manager = _user("prosecutor_xupu"), _user("sw_xupu"), _user("manager_xupu")
    if prosecutor is None or worker is None or manager is None or worker.organisation is None:
        return
    agency = worker.organisation
    county = agency.nearest({OrganisationKind.COUNTY_BUREAU})
    if county is None:
        return
    today = timezone.localdate()
    as_prosecutor, as_worker = Actor(user=prosecutor, username="demo"), Actor(user=worker, username="demo")
    roster = [
        measures.add_adult(actor=as_worker, county=county, name=name, unit=unit, phone=phone, trained_on=today)
        for name, unit, phone in (
            ("赵春梅", "溆浦县妇联", "13907450001"),
            ("贺建华", "卢峰镇中心学校", "13907450002"),
            ("向丽", "团县委", "13907450003"),
        )
    ]
    made = []
    for service_type, child, sex, age, summary, steps in CASES:
        case = cases.refer_case(
            actor=as_prosecutor,
            service_type=service_type,
            child_name=child,
            sex=sex,
            birth_date=_birth(today, age),
            agency=agency,
            summary=summary,
            school_or_work="溆浦县第一中学" if age >= 12 else "卢峰镇中心小学",
            child_consent=True,
            guardian_consent=True,
            guardian_name=child[0] + "父",
            guardian_relation="父亲",
            guardian_phone="13807450000",
            referred_on=today - dt.timedelta(days=20 + 15 * steps),
        )
        if steps:
            cases.accept_case(actor=as_worker, case=case, content="与未成年人及监护人面谈，签署知情同意书")
        for label in ("预估：家庭监护薄弱，学业中断风险", "计划：每周个案辅导一次", "服务：个案辅导、家庭教育指导",
                      "评估：目标基本达成", "结案：服务目标达成", "跟进：电话回访")[: max(steps - 1, 0)]:  # fmt: skip
            cases.advance_stage(actor=as_worker, case=case, content=label)
        made.append(case)
    _investigation(as_prosecutor, as_worker, Actor(user=manager, username="demo"), made[0], today)
    measures.start_non_prosecution(
        actor=as_prosecutor,
        case=made[1],
        decided_on=today - dt.timedelta(days=60),
        test_months=6,
        decision_number="溆检未刑不诉〔2026〕3号",
        obligations="遵守法律法规，服从监督；按规定报告自己的活动情况；离开所居住的县须经批准；参加社会公益活动。",
    )
    request = measures.request_adult(
        actor=as_prosecutor,
        case=made[2],
        questioning_at=timezone.now() + dt.timedelta(days=1),
        place="卢峰派出所询问室",
    )
    measures.assign_adult(actor=as_worker, request=request, adult=roster[0])
    seal_case(actor=as_worker, case=made[6], basis="（2026）湘1224刑初88号判决，依刑事诉讼法第二百八十六条封存")


def _investigation(prosecutor: Actor, worker: Actor, manager: Actor, case: JuvenileCase, today: dt.date) -> None:
    cases.accept_case(actor=worker, case=case, content="接受检察院委托，开展社会调查")
    investigation = investigations.request_investigation(actor=prosecutor, case=case, due_on=today)
    for kind, name, section, said in (
        ("guardian", "向父", "family_and_guardianship", "父母长期在外务工，由祖母照看，管教较少。"),
        ("school", "李老师（班主任）", "school_or_work", "初三学生，成绩中下，近半年多次旷课。"),
        ("neighbour", "张某（邻居）", "personality", "性格内向，平时与同龄人来往少，未见打架。"),
        ("police_station", "卢峰派出所王警官", "conduct_after_offence", "到案后如实供述，积极退赔。"),
    ):
        investigations.record_interview(
            actor=worker,
            investigation=investigation,
            informant_kind=kind,
            informant_name=name,
            held_on=today - dt.timedelta(days=5),
            section=section,
            statement=said,
        )
    investigations.draft_from_interviews(actor=worker, investigation=investigation)
    investigations.edit_report(
        actor=worker,
        investigation=investigation,
        sections={
            "causes": "家庭监护缺位，法治观念淡薄，受不良同伴影响。",
            "conclusions": "人身危险性较低，具备社会帮教条件。",
            "recommendations": "建议作出附条件不起诉决定，由社工开展帮教。",
        },
    )
    investigations.submit_report(actor=worker, investigation=investigation)
    investigations.approve_report(actor=manager, investigation=investigation)
    try:
        investigations.send_report(actor=worker, investigation=investigation)
    except ValidationError:  # no CJK font on this machine: the report stays approved, ready to send
        return
