"""Demo data of the learning app: a few courses (text, the tiny test video and audio), a question bank with an
exam, the month's topic, a lecturer pool, and assignments for the people of two demo offices (with the demo supervisee
accounts). DEMO DATA ONLY. Idempotent: nothing is added once a course exists."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import Supervisee

from .models import Course, LessonKind, QuestionKind, Stage
from .services import content, exams, groups
from .services.assignment import assign_everyone

LECTURERS = [
    ("周明", "judge", "怀化市中级人民法院", "以案说法、刑罚执行", "13907451001"),
    ("陈洁", "prosecutor", "溆浦县人民检察院", "社区矫正法律监督", "13907451002"),
    ("李红梅", "psychologist", "怀化市心理援助中心", "情绪管理、家庭关系", "13907451003"),
    ("王建国", "teacher", "怀化职业技术学院", "职业技能、就业指导", "13907451004"),
    ("刘志", "volunteer", "怀化市司法矫治协会", "回归社会经验分享", "13907451005"),
]
MEDIA = Path(__file__).resolve().parent / "demo_media"
OFFICES = ("卢峰司法所", "辰阳司法所")

QUESTIONS = [
    ("社区矫正对象应当按照规定向司法所报告自己的活动情况。", QuestionKind.TRUE_FALSE, [], [0]),
    ("社区矫正对象外出须经批准。", QuestionKind.TRUE_FALSE, [], [0]),
    ("社区矫正对象变更居住地，应当提前多少日提出书面申请？", QuestionKind.SINGLE, ["一日", "三日", "一个月"], [2]),
    (
        "以下哪些属于社区矫正对象应当遵守的规定？",
        QuestionKind.MULTIPLE,
        ["按时报到", "遵守禁止令", "随意离开居住地"],
        [0, 1],
    ),
    (
        "社区矫正的执行地一般是社区矫正对象的：",
        QuestionKind.SINGLE,
        ["居住地", "工作单位所在地", "户籍地以外任意地点"],
        [0],
    ),
    ("社区矫正对象可以委托他人代为报到。", QuestionKind.TRUE_FALSE, [], [1]),
    ("《社区矫正法》自哪一年起施行？", QuestionKind.SINGLE, ["2012年", "2020年", "2023年"], [1]),
    ("违反监督管理规定，可能受到：", QuestionKind.MULTIPLE, ["训诫", "警告", "表扬"], [0, 1]),
]


def _actor(organisation: Organisation) -> Actor:
    user = (
        User.objects.filter(organisation=organisation, role=Role.BUREAU_ADMIN, is_active=True).first()
        or User.objects.filter(is_superuser=True).first()
    )
    return Actor(user=user)


def _media(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (MEDIA / name).read_bytes())


def seed(*, scale: str) -> None:
    if Course.objects.exists():
        return
    city = Organisation.objects.filter(kind=OrganisationKind.CITY_BUREAU, name="怀化市社区矫正管理局").first()
    county = Organisation.objects.filter(kind=OrganisationKind.COUNTY_BUREAU, name="溆浦县社区矫正管理局").first()
    if city is None or county is None:
        return
    city_staff = _actor(city)
    if city_staff.user is None:
        return
    law = content.create_course(
        actor=city_staff,
        organisation=city,
        title="社区矫正法律法规常识",
        topic="法律常识",
        stage=Stage.ROUTINE,
        description="社区矫正对象应当知道的权利与义务。",
    )
    content.add_lesson(
        actor=city_staff,
        course=law,
        title="第一课 权利与义务",
        kind=LessonKind.TEXT,
        length_seconds=300,
        body="社区矫正对象依法享有人身权利、财产权利和其他权利，应当遵守法律、行政法规，履行判决、裁定确定的义务。",
    )
    content.add_lesson(
        actor=city_staff,
        course=law,
        title="第二课 报到与外出（视频）",
        kind=LessonKind.VIDEO,
        length_seconds=12,
        upload=_media("lesson.webm"),
    )
    content.add_lesson(
        actor=city_staff,
        course=law,
        title="第三课 法律小贴士（音频）",
        kind=LessonKind.AUDIO,
        length_seconds=8,
        upload=_media("lesson.ogg"),
    )
    for text, kind, choices, answer in QUESTIONS:
        exams.add_question(actor=city_staff, course=law, kind=kind, text=text, choices=choices, answer=answer)
    exams.set_exam(actor=city_staff, course=law, title="法律常识测试", question_count=5, pass_mark=60)
    content.set_published(actor=city_staff, course=law, published=True)

    county_staff = _actor(county) if _actor(county).user else city_staff
    intake = content.create_course(
        actor=county_staff,
        organisation=county,
        title="入矫第一课：报到、请假与禁止令",
        topic="监督管理规定",
        stage=Stage.INTAKE,
    )
    content.add_lesson(
        actor=county_staff,
        course=intake,
        title="如何按时报到",
        kind=LessonKind.TEXT,
        length_seconds=180,
        body="入矫后应当按规定时间到司法所报到，每月提交思想汇报，外出须提前申请。",
    )
    content.set_published(actor=county_staff, course=intake, published=True)
    driving = content.create_course(
        actor=county_staff,
        organisation=county,
        title="远离危险驾驶",
        topic="交通安全",
        stage=Stage.SPECIAL,
        crimes=["驾驶", "交通肇事"],
    )
    content.add_lesson(
        actor=county_staff,
        course=driving,
        title="酒驾的代价",
        kind=LessonKind.TEXT,
        length_seconds=240,
        body="饮酒不开车，开车不饮酒。危险驾驶罪的刑罚与对家庭的影响。",
    )
    content.set_published(actor=county_staff, course=driving, published=True)
    topic = content.create_course(
        actor=city_staff,
        organisation=city,
        title="每月一题：心理健康与情绪管理",
        topic="心理健康",
        stage=Stage.SPECIAL,
        topic_month=timezone.localdate().replace(day=1),
    )
    content.add_lesson(
        actor=city_staff,
        course=topic,
        title="认识自己的情绪",
        kind=LessonKind.TEXT,
        length_seconds=240,
        body="遇到压力时，可以通过倾诉、运动、规律作息来调节情绪；需要时向社工或心理咨询师求助。",
    )
    content.set_published(actor=city_staff, course=topic, published=True)
    assign_everyone(Supervisee.objects.filter(responsible_office__name__in=OFFICES))
    for name, profession, unit, topics, phone in LECTURERS:
        groups.add_lecturer(
            actor=city_staff,
            organisation=city,
            name=name,
            profession=profession,
            work_unit=unit,
            topics=topics,
            availability="工作日晚上、周末",
            phone=phone,
        )
    if county_staff.user is not None:
        _group_session(county, county_staff)


def _photo(colour: str) -> SimpleUploadedFile:
    import io

    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(picture).rectangle((160, 120, 480, 360), outline="white", width=8)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{colour}.png", buffer.getvalue(), content_type="image/png")


def _group_session(county: Organisation, staff: Actor) -> None:
    """A group session held yesterday evening by a judge of the pool: two photos, the people of 卢峰 with an app
    account signed in, so the services ledger shows it as an education session with its lecturer."""
    import datetime as dt
    from decimal import Decimal

    from .models import Lecturer

    lecturer = Lecturer.objects.filter(profession="judge").order_by("pk").first()
    if lecturer is None:
        return
    starts = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
    session = groups.book_session(
        actor=staff,
        organisation=county,
        lecturer=lecturer,
        topic="以案说法：社区矫正对象的权利与义务",
        starts_at=starts,
        hours=Decimal("2.0"),
        place="溆浦县社区矫正中心",
    )
    for person in Supervisee.objects.filter(responsible_office__name=OFFICES[0], user__isnull=False)[:3]:
        groups.sign_in(
            actor=Actor(user=person.user), supervisee=person, token=groups.sign_in_token(session), now=starts
        )
    groups.add_photos(actor=staff, session=session, uploads=[_photo("steelblue"), _photo("seagreen")])
