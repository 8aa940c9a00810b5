"""Demo needs, referrals, actions and outcomes of help with returning to society for the two demo counties.

DEMO DATA ONLY: plausible, invented. Idempotent: nothing is added once any need exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to

from . import selectors, services
from .models import AgencyKind, Need, NeedKind, NeedSource, Outcome

# kind → (description, [(agency kind, agency, contact, phone)], [actions], outcome when resolved)
CASES: dict[str, tuple[list[str], list[tuple[str, str, str, str]], list[str], str]] = {
    NeedKind.VOCATIONAL_TRAINING: (
        ["本人无一技之长，希望学习电焊技术", "有意参加家政服务培训，需报名帮助", "想学习电商直播，缺少培训渠道"],
        [
            (AgencyKind.HUMAN_RESOURCES, "溆浦县人力资源和社会保障局职业能力建设股", "向丽", "0745-3322118"),
            (AgencyKind.SCHOOL, "溆浦县职业中专学校", "舒老师", "0745-3325601"),
        ],
        ["陪同到县人社局报名职业技能培训", "培训开班，本人按时参训", "取得初级工培训合格证"],
        Outcome.TRAINED,
    ),
    NeedKind.EMPLOYMENT_GUIDANCE: (
        [
            "解除羁押后一直待业，家庭收入困难，希望就近就业",
            "原工作单位已解聘，需要就业指导",
            "有驾驶证，想找货运相关工作",
        ],
        [
            (AgencyKind.HUMAN_RESOURCES, "溆浦县公共就业服务中心", "谭主任", "0745-3328890"),
            (AgencyKind.EMPLOYER, "溆浦县湘农农业开发有限公司", "刘经理", "13974510021"),
            (AgencyKind.EMPLOYER, "辰溪县宏达物流有限公司", "米经理", "13807451133"),
        ],
        ["推荐参加县人社局春风行动专场招聘会", "联系企业安排面试", "签订劳动合同，试用期三个月"],
        Outcome.EMPLOYED,
    ),
    NeedKind.SOCIAL_ASSISTANCE: (
        ["家庭人均收入低于当地低保标准，申请最低生活保障", "父亲重病，家庭支出困难"],
        [(AgencyKind.CIVIL_AFFAIRS, "溆浦县民政局社会救助股", "张股长", "0745-3321457")],
        ["协助准备低保申请材料", "乡镇民政办入户核查"],
        Outcome.ASSISTED,
    ),
    NeedKind.TEMPORARY_RELIEF: (
        ["房屋因暴雨受损，生活暂时困难", "突发疾病住院，医疗费用难以承担"],
        [(AgencyKind.CIVIL_AFFAIRS, "辰溪县民政局", "李干事", "0745-5223316")],
        ["报乡镇政府申请临时救助", "临时救助金发放到位"],
        Outcome.ASSISTED,
    ),
    NeedKind.SCHOOLING: (
        ["未满十八周岁，初中未毕业，本人希望复学", "希望参加成人高考提升学历"],
        [(AgencyKind.SCHOOL, "溆浦县第三中学", "王校长", "0745-3320987")],
        ["与学校沟通复学手续", "办理入学手续"],
        Outcome.ENROLLED,
    ),
    NeedKind.RIGHTS: (
        ["被原单位拖欠工资三个月", "在求职中因有犯罪记录被拒，咨询权益"],
        [(AgencyKind.OTHER, "溆浦县法律援助中心", "陈律师", "0745-3326148")],
        ["转介法律援助中心提供法律咨询", "劳动监察部门介入协调"],
        Outcome.RIGHTS_UPHELD,
    ),
}


@transaction.atomic
def seed(*, scale: str) -> None:
    if Need.objects.exists():
        return
    rng = random.Random(4035)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    # The demo officers' own offices first, so that 舒志勇 and 谌丽华 see their people's needs.
    for username, office in (("bureau_xupu", "卢峰司法所"), ("bureau_chenxi", "辰阳司法所")):
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        actor = Actor(user=user, username="demo")
        visible = supervisees_visible_to(user).filter(status=Status.UNDER_SUPERVISION).order_by("pk")
        people = list(visible.filter(responsible_office__name=office)[:8])
        people += list(visible.exclude(responsible_office__name=office)[: 18 - len(people)])
        _from_assessments(actor, user, list(visible.filter(assessments__status="submitted").distinct()), today)
        for n, person in enumerate(people):
            _one(actor, person, rng, today, n)


def _from_assessments(actor: Actor, user: User, people: list[Supervisee], today: dt.date) -> None:
    from zhengtu.assessment.models import Assessment

    for person in people:
        for suggestion in selectors.suggested_needs(user, person):
            services.record_need(
                actor=actor,
                supervisee=person,
                kind=suggestion.kind,
                description=suggestion.label,
                found_on=today - dt.timedelta(days=12),
                source=NeedSource.ASSESSMENT,
                assessment=Assessment.objects.get(pk=suggestion.assessment_id),
                assessment_domain=suggestion.domain,
            )


def _one(actor: Actor, person: Supervisee, rng: random.Random, today: dt.date, n: int) -> None:
    kind = list(CASES)[n % len(CASES)]
    descriptions, agencies, actions, resolved = CASES[kind]
    found_on = max(today - dt.timedelta(days=rng.randint(5, 200)), person.term_start)
    need = services.record_need(
        actor=actor, supervisee=person, kind=kind, description=rng.choice(descriptions), found_on=found_on
    )
    stage = n % 6  # 0: left waiting for a referral; 1: referred; 2: under way; 3–4: resolved; 5: not resolved
    if stage == 0:
        return
    agency_kind, agency, contact, phone = rng.choice(agencies)
    step = max((today - found_on).days // 4, 0)
    services.refer_need(
        actor=actor,
        need=need,
        agency_kind=agency_kind,
        agency_name=agency,
        contact_name=contact,
        contact_phone=phone,
        referred_on=found_on + dt.timedelta(days=step),
    )
    if stage == 1:
        return
    for index, text in enumerate(actions[:-1] if stage == 2 else actions):
        services.record_action(
            actor=actor, need=need, done_on=found_on + dt.timedelta(days=step * 2 + index), description=text
        )
    if stage == 2:
        return
    closed_on = min(found_on + dt.timedelta(days=step * 3 + len(actions)), today)
    if stage == 5:
        services.record_outcome(
            actor=actor, need=need, outcome=Outcome.UNRESOLVED, outcome_on=closed_on, notes="本人外出务工，暂不需要帮扶"
        )
    else:
        services.record_outcome(actor=actor, need=need, outcome=resolved, outcome_on=closed_on)
