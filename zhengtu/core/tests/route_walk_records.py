"""Records the route walk needs beyond the county demo, made for 溆浦 through the apps' own services.

The county demo holds no record of some kinds (API tokens, background jobs, attachments, ...) or none in the
state a page needs (an approved leave to close with a return, an assessment still being filled, a pending
override). test_every_route_is_scoped.py calls create_records() after seeding, inside the test's transaction, so
the demo that `make run` seeds is left as it is. Every record is made by the service a user's action would call
(rules, audit and all), never by a raw insert (the second city's two users come from the test factories). Each
maker adds the records it made for 溆浦 to `made`, by model: the walk samples them beside the demo's, and routes
which take no GET (a revoke, a decision) have a record of 溆浦 to be refused on. Two makers give the outsiders what
a cross-check needs instead: the 辰溪 project's parts (outsider_project) and a second city (second_city).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Status, Supervisee

Made = dict[type[models.Model], set[int]]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _actor(username: str) -> Actor:
    user = _user(username)
    return Actor(user=user, username=user.username, ip_address="127.0.0.1")


def _today() -> dt.date:
    return timezone.localdate()


def _active_in_lufeng(skip: int = 0) -> Supervisee:
    """A person under supervision in 卢峰 (the demo officer's office) with a file and months of term left."""
    office = _user("officer_lufeng").organisation
    people = Supervisee.objects.filter(
        responsible_office=office,
        status=Status.UNDER_SUPERVISION,
        supervision_file__isnull=False,
        term_end__gt=_today() + dt.timedelta(days=150),
    ).order_by("pk")
    return people[skip]


def _add(made: Made, records: Iterable[models.Model]) -> None:
    for record in records:
        made[type(record)].add(record.pk)


def tokens(made: Made) -> None:
    """An API token of the 溆浦 bureau head (accounts/tokens/<pk>/revoke, api/v1/auth/tokens/<pk>)."""
    from zhengtu.api.services import issue_token

    _add(made, [issue_token(actor=_actor("bureau_xupu"), user=_user("bureau_xupu"), name="route walk").token])


def jobs(made: Made) -> None:
    """A finished import (supervisees/import/jobs/<pk>, jobs/<pk>) and archive export (archive-exports/<pk>)."""
    from zhengtu.supervisees.exporting import template_csv
    from zhengtu.supervisees.importing import start_import_job
    from zhengtu.supervision.services.archive_jobs import start_archive_export

    bureau = _user("bureau_xupu")
    imported = start_import_job(user=bureau, file_name="导入.csv", content=template_csv(), default_office=None)
    exported = start_archive_export(user=_user("officer_lufeng"), supervisee=_active_in_lufeng(), archive="work")
    _add(made, [imported, exported])


def supervision(made: Made) -> None:
    """A team member to remove, an approved leave to close with a return, an approved monitoring period to
    extend, an attachment (supervision/team-members|leave|monitoring|attachments/<pk>/...)."""
    from zhengtu.supervision.models import TeamRole
    from zhengtu.supervision.services.approvals import decide
    from zhengtu.supervision.services.attachments import attach_files
    from zhengtu.supervision.services.intake import TeamMemberInput, add_team_member
    from zhengtu.supervision.services.leave import request_leave
    from zhengtu.supervision.services.monitoring import request_monitoring

    officer, colleague, bureau = _actor("officer_lufeng"), _actor("officer2_lufeng"), _actor("bureau_xupu")
    person = _active_in_lufeng()
    member = add_team_member(
        actor=officer,
        supervisee=person,
        member=TeamMemberInput(role=TeamRole.FAMILY_MEMBER, name="王秀英", phone="13800000000"),
    )
    leave = request_leave(
        actor=officer,
        supervisee=person,
        start_date=_today() + dt.timedelta(days=1),
        end_date=_today() + dt.timedelta(days=3),
        destination="长沙",
        reason="办理社保手续",
    )
    for deciding in (colleague, bureau):  # the office's second officer, then the bureau if the rules route it up
        leave.approval.refresh_from_db()
        step = leave.approval.steps.filter(status="pending").first()
        if step is not None:
            decide(actor=deciding, request=leave.approval, approve=True)
    monitoring = request_monitoring(
        actor=officer,
        supervisee=_active_in_lufeng(1),
        situation="police_penalty",
        facts="受到治安管理处罚",
        start_date=_today(),
        end_date=_today() + dt.timedelta(days=30),
    )
    decide(actor=bureau, request=monitoring.approval, approve=True)
    attachment = attach_files(
        actor=officer, supervisee=person, uploads=[SimpleUploadedFile("谈话笔录.txt", "谈话笔录".encode())]
    )[0]
    _add(made, [member, leave, monitoring, attachment])


def _demo_person() -> Supervisee:
    return Supervisee.objects.get(user__username="supervisee_lufeng")


# PHQ-9 answers scoring "mild" with a thought of self-harm (item 9): a critical-answer alert for the officer.
PHQ_MILD_WITH_ALERT = {**{f"phq{n}": "0" for n in range(1, 10)}, "phq1": "3", "phq2": "3", "phq9": "1", "phq10": "1"}


def assessment(made: Made) -> None:
    """The demo supervisee's own questionnaire to fill and own result (assessment/mine/<pk>/...), an interview
    still being filled (assessment/<pk>/fill), a critical answer (alerts/<pk>) and a change of level waiting
    for approval (assessment/overrides/<pk>/decide)."""
    from zhengtu.assessment.models import AssessmentMode, Instrument
    from zhengtu.assessment.services.assessments import start_assessment, take_assessment
    from zhengtu.assessment.services.overrides import request_override

    officer = _actor("officer_lufeng")
    phq9 = Instrument.objects.get(code="phq9", organisation__isnull=True)
    person = _demo_person()
    own = start_assessment(actor=officer, supervisee=person, instrument=phq9, mode=AssessmentMode.SELF_REPORT)
    scored = take_assessment(actor=officer, supervisee=person, instrument=phq9, answers=PHQ_MILD_WITH_ALERT)
    draft = start_assessment(actor=officer, supervisee=_active_in_lufeng(), instrument=phq9)
    override = request_override(
        actor=officer,
        assessment=scored,
        to_level="moderate",
        reason="近期丧偶，情绪波动明显，访谈中多次流泪，建议按更高等级关注。",
    )
    _add(made, [own, scored, draft, override, *scored.critical_alerts.all()])


def services(made: Made) -> None:
    """A counselling session of the 溆浦 social worker, with notes and a photo (services/records/<pk>/notes,
    services/attachments/<pk>)."""
    from decimal import Decimal

    from zhengtu.services.models import ServiceKind, ServiceMode
    from zhengtu.services.services import record_service
    from zhengtu.supervisees.selectors import supervisees_visible_to

    worker = _user("sw_xupu")
    today = _today()
    person = supervisees_visible_to(worker).filter(term_start__lte=today, term_end__gte=today).order_by("pk").first()
    assert person is not None, "the demo social worker of 溆浦 has nobody under supervision today"
    record = record_service(
        actor=_actor("sw_xupu"),
        kind=ServiceKind.COUNSELLING,
        mode=ServiceMode.INDIVIDUAL,
        held_on=today,
        duration_hours=Decimal("1"),
        topic="个案心理辅导",
        attendees=[person],
        counselling_note="对象自述近期与家人冲突，需每周跟进。",
        attachments=[SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 route walk")],
    )
    _add(made, [record, *record.attachments.all()])


def projects(made: Made) -> None:
    """On the 溆浦 project: a voucher of a spending entry, a budget adjustment waiting for the other manager and
    a finalised version of the annual report (projects/<pk>/vouchers|adjustments|reports/.../versions/...)."""
    from decimal import Decimal

    from zhengtu.projects.models import BudgetLine, ProjectReport, SpendingEntry
    from zhengtu.projects.reporting.services import finalise_report
    from zhengtu.projects.services import add_vouchers, request_adjustment

    manager = _actor("bureau_xupu")
    prefix = _user("bureau_xupu").organisation.path  # type: ignore[union-attr]
    entry = SpendingEntry.objects.filter(budget_line__project__buying_bureau__path=prefix).order_by("pk").first()
    assert entry is not None, "the 溆浦 project has no spending"
    vouchers = add_vouchers(actor=manager, entry=entry, vouchers=[SimpleUploadedFile("发票.pdf", b"%PDF-1.4 voucher")])
    line = BudgetLine.objects.filter(project=entry.budget_line.project).exclude(pk=entry.budget_line_id).first()
    adjustment = request_adjustment(
        actor=manager, line=line or entry.budget_line, amount=Decimal("100"), reason="培训场地费上涨"
    )
    report = ProjectReport.objects.filter(project=entry.budget_line.project).order_by("pk").first()
    assert report is not None, "the 溆浦 project has no report"
    version = finalise_report(actor=manager, report=report)
    _add(made, [*vouchers, adjustment, version])


def confirm_browser(client: object, username: str) -> None:
    """Confirm the client's browser as the supervisee's phone by a face check at sign-in, as the app asks of a new
    device (the registry photo the demo gives the person stands for the camera's picture)."""
    from zhengtu.selfservice.services.devices import COOKIE, new_device_token, see_device, verify_device

    person = Supervisee.objects.get(user__username=username)
    actor = _actor(username)
    token = new_device_token()
    device = see_device(actor=actor, supervisee=person, token=token, label="route walk")
    with person.photo.open("rb") as photo:
        check = verify_device(actor=actor, supervisee=person, device=device, photo=photo.read())
    assert check.matched, f"the face check of {username} failed: {check.outcome}"
    client.cookies[COOKIE] = token  # type: ignore[attr-defined]


def app(made: Made) -> None:
    """The demo supervisee's check-in, written report with a voice note and leave request from the phone, and an
    activity of 卢峰 (app/checkin/<pk>, app/activities/<pk>/..., app-staff/check-ins|reports|requests|activities)."""
    from decimal import Decimal

    from zhengtu.selfservice.services.activities import publish_activity
    from zhengtu.selfservice.services.checkin import issue_challenge, submit_check_in
    from zhengtu.selfservice.services.reports import submit_report
    from zhengtu.selfservice.services.requests import submit_app_request
    from zhengtu.supervision.models import ApprovalKind

    person = _demo_person()
    me = _actor("supervisee_lufeng")
    with person.photo.open("rb") as photo:
        picture = photo.read()
    challenge = issue_challenge(actor=me, supervisee=person)
    check_in = submit_check_in(
        actor=me,
        supervisee=person,
        nonce=challenge.nonce,
        photo=picture,
        latitude=27.908,
        longitude=110.594,
        accuracy_m=20,
    )
    report = submit_report(
        actor=me,
        supervisee=person,
        text="本月按时上班，参加了社区服务。",
        voice=SimpleUploadedFile("v.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 200, content_type="audio/webm"),
        voice_seconds=12,
    )
    start = _today() + dt.timedelta(days=10)
    request = submit_app_request(
        actor=me,
        supervisee=person,
        kind=ApprovalKind.LEAVE,
        data={
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=2)).isoformat(),
            "destination": "长沙市岳麓区",
            "reason": "探望住院的母亲",
        },
    )
    begins = timezone.now() + dt.timedelta(days=3)
    activity = publish_activity(
        actor=_actor("officer_lufeng"),
        office=person.responsible_office,
        title="社区公益劳动：清扫卢峰广场",
        place="卢峰广场",
        starts_at=begins,
        ends_at=begins + dt.timedelta(hours=3),
        hours=Decimal("3"),
    )
    _add(made, [check_in, report, request, activity])


def learning(made: Made) -> None:
    """A course of the 溆浦 bureau with an audio lesson, a question bank and an exam, assigned to the demo
    supervisee, who starts the exam and a study session whose face check they refuse (learning/questions|lessons|
    face-checks/<pk>/..., app/learning/courses/<pk>/exam, app/learning/attempts/<pk>)."""
    from zhengtu.learning.demo import MEDIA
    from zhengtu.learning.models import LessonKind, QuestionKind
    from zhengtu.learning.services import content, exams, face_checks
    from zhengtu.learning.services.assignment import assign_courses, stage_of
    from zhengtu.learning.services.study import start_session

    bureau = _actor("bureau_xupu")
    person = _demo_person()
    course = content.create_course(
        actor=bureau,
        organisation=_user("bureau_xupu").organisation,
        title="溆浦县法治教育：禁止令与外出",
        topic="监督管理规定",
        stage=stage_of(person, _today()),
    )
    lesson = content.add_lesson(
        actor=bureau,
        course=course,
        title="禁止令讲解（音频）",
        kind=LessonKind.AUDIO,
        length_seconds=8,
        upload=SimpleUploadedFile("lesson.ogg", (MEDIA / "lesson.ogg").read_bytes()),
    )
    questions = [
        exams.add_question(actor=bureau, course=course, kind=QuestionKind.TRUE_FALSE, text=text, answer=[0])
        for text in ("社区矫正对象外出须经批准。", "社区矫正对象应当遵守禁止令。")
    ]
    exam = exams.set_exam(actor=bureau, course=course, title="禁止令测试", question_count=2, pass_mark=60)
    content.set_published(actor=bureau, course=course, published=True)
    assign_courses(supervisee=person)
    me = _actor("supervisee_lufeng")
    attempt = exams.start_attempt(actor=me, supervisee=person, exam=exam)
    started = timezone.now() - dt.timedelta(hours=1)
    session = start_session(actor=me, supervisee=person, lesson=lesson, now=started)
    face_checks.request_if_due(session, now=timezone.now())
    session.save()
    refused = face_checks.answer_face_check(actor=me, session=session, image=None)
    _add(made, [course, lesson, *questions, exam, attempt, refused])


def documents(made: Made) -> None:
    """The 溆浦 bureau's own replacement of a document template (documents/templates/<pk>/deactivate)."""
    from zhengtu.documents.services import upload_template

    template = upload_template(
        actor=_actor("bureau_xupu"),
        code="supervision.release_certificate",
        template_format="html",
        name="溆浦县解除社区矫正证明书",
        upload=SimpleUploadedFile(
            "t.html", "<h1>溆浦县证明书</h1><p>{{ name }}</p>".encode(), content_type="text/html"
        ),
        for_everyone=False,
    )
    _add(made, [template])


def juvenile(made: Made) -> None:
    """A request of the 溆浦 social worker to read a sealed record, waiting for the bureau (juvenile/sealed/<pk>)."""
    from zhengtu.juvenile.services.sealing import request_sealed_read

    request = request_sealed_read(
        actor=_actor("sw_xupu"),
        case_number="（2026）溆少字第999号",
        legal_basis="依据《未成年人保护法》第一百零三条，为办理帮教事项查阅。",
    )
    _add(made, [request])


def instruments(made: Made) -> None:
    """A questionnaire the 溆浦 bureau imported for its own use, as its administrator may (assessment/instruments/
    <pk>/..., assessment/paper/template/<pk>, api/v1/assessment/instruments/<pk>): the shipped ones are everyone's."""
    from pathlib import Path

    import zhengtu.assessment
    from zhengtu.assessment.services.instruments import import_instrument

    workbook = Path(zhengtu.assessment.__file__).parent / "instruments" / "gad7.xlsx"
    outcome = import_instrument(
        actor=_actor("bureau_xupu"),
        content=workbook.read_bytes(),
        file_name=workbook.name,
        organisation=_user("bureau_xupu").organisation,
    )
    _add(made, [outcome.version.instrument, outcome.version])


def city_work(made: Made) -> None:
    """Of the city association: a site visit with a photo as evidence (inspections/evidence/<pk>), a declared
    conflict of an expert (experts/<pk>/conflicts/<pk>/remove), a filing returned for changes (association/
    filings/<pk>/correct). Tried by the city pairs, against the second city."""
    from zhengtu.association.models import FilingStatus, SupervisorFiling
    from zhengtu.association.services.filings import Decision, review_filing
    from zhengtu.inspections.models import ActivityKind, Expert, ProjectInspection
    from zhengtu.inspections.services.experts import declare_conflict
    from zhengtu.inspections.services.findings import record_activity

    admin = _actor("association_admin")
    inspection = ProjectInspection.objects.order_by("pk").first()
    assert inspection is not None, "the demo has no inspection"
    visit = record_activity(
        actor=admin,
        inspection=inspection,
        kind=ActivityKind.SITE_VISIT,
        occurred_on=_today(),
        notes="实地查看项目办公场所与台账。",
        files=[SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4 evidence")],
    )
    expert = Expert.objects.order_by("pk").first()
    assert expert is not None, "the demo has no expert"
    conflict = declare_conflict(
        actor=admin, expert=expert, organisation=inspection.project.agency, reason="曾在该机构任职"
    )
    filing = SupervisorFiling.objects.filter(status=FilingStatus.SUBMITTED).order_by("pk").first()
    assert filing is not None, "the demo has no filing waiting for review"
    returned = review_filing(actor=admin, filing=filing, decision=Decision.RETURN, note="请补充学历证书复印件。")
    _add(made, [*visit.evidence.all(), conflict, returned])


def outsider_project(made: Made) -> None:
    """The 辰溪 project (the test gives it) gets a voucher, an adjustment and a report version too, so that the
    routes naming a project and one of those parts are tried with the outsider's own project in front of 溆浦's part.
    Nothing is added to made: these records are the outsider's."""
    from decimal import Decimal

    from zhengtu.projects import seeding
    from zhengtu.projects.models import BudgetLine, ReportKind, ServiceProject
    from zhengtu.projects.reporting.services import create_report, finalise_report, save_narrative
    from zhengtu.projects.services import record_spending, request_adjustment

    manager = _actor("bureau_chenxi")
    project = ServiceProject.objects.filter(buying_bureau=_user("bureau_chenxi").organisation).order_by("pk").first()
    if project is None:  # the walk alone gives 辰溪 a project
        return
    first, second = BudgetLine.objects.filter(project=project).order_by("pk")[:2]
    seeding.receive_funds(manager=manager, project=project, share=Decimal("0.5"), on=project.period_start)
    record_spending(
        actor=manager,
        line=first,
        spent_on=project.period_start + dt.timedelta(days=30),
        amount=Decimal("100"),
        description="办公用品",
        vouchers=[SimpleUploadedFile("发票.pdf", b"%PDF-1.4 voucher")],
    )
    request_adjustment(actor=manager, line=second, amount=Decimal("100"), reason="培训场地费上涨")
    report = create_report(
        actor=manager,
        project=project,
        kind=ReportKind.ANNUAL,
        period_start=project.period_start,
        period_end=project.period_end,
    )
    save_narrative(
        actor=manager, report=report, title=report.title, narrative=seeding.load("xupu_2020")["narrative_current_year"]
    )
    finalise_report(actor=manager, report=report)


def ended(made: Made) -> None:
    """A 溆浦 supervisee whose supervision ended (api/v1/exchange/supervisees/<pk>/release-notice, which answers
    only for a released or terminated person)."""
    from zhengtu.supervision.models import TerminationReason
    from zhengtu.supervision.services.closure import terminate_supervision

    county = _user("bureau_xupu").organisation.path  # type: ignore[union-attr]
    person = Supervisee.objects.filter(
        responsible_office__path__startswith=county, status=Status.UNDER_SUPERVISION
    ).latest("pk")
    termination = terminate_supervision(
        actor=_actor("bureau_xupu"), supervisee=person, reason=TerminationReason.DEATH, effective_on=_today()
    )
    _add(made, [person, termination])


def audit_entry(made: Made) -> None:
    """The newest audit entry written in 溆浦 (audit/<pk>): entries hold a snapshot of the organisation's path, no
    foreign key the walk could follow, and the table's last entries are the confirmations of the supervisees'
    browsers that the walk itself makes."""
    from zhengtu.audit.models import AuditEntry

    county = _user("bureau_xupu").organisation.path  # type: ignore[union-attr]
    made[AuditEntry].add(AuditEntry.objects.filter(organisation_path__startswith=county).latest("pk").pk)


def outsider_catalogues(made: Made) -> None:
    """辰溪's own questionnaire and a group session with a photo, so that instruments/<pk>/versions/<version_pk>/
    workbook and group-sessions/<pk>/photos/<photo> are tried with the outsider's parent in front of 溆浦's record.
    Nothing is added to made: these records are the outsider's."""
    import io
    from decimal import Decimal
    from pathlib import Path

    from PIL import Image

    import zhengtu.assessment
    from zhengtu.assessment.services.instruments import import_instrument
    from zhengtu.learning.models import Lecturer
    from zhengtu.learning.services.groups import add_photos, book_session

    bureau, county = _actor("bureau_chenxi"), _user("bureau_chenxi").organisation
    assert county is not None
    workbook = Path(zhengtu.assessment.__file__).parent / "instruments" / "gad7.xlsx"
    import_instrument(actor=bureau, content=workbook.read_bytes(), file_name=workbook.name, organisation=county)
    lecturer = Lecturer.objects.filter(organisation__path__in=[county.path, *_ancestor_paths(county.path)]).first()
    if lecturer is None:
        return
    session = book_session(
        actor=bureau,
        organisation=county,
        lecturer=lecturer,
        topic="以案说法",
        starts_at=timezone.now() - dt.timedelta(days=1),
        hours=Decimal("2.0"),
        place="辰溪县社区矫正中心",
    )
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "steelblue").save(buffer, format="PNG")
    add_photos(actor=bureau, session=session, uploads=[SimpleUploadedFile("p.png", buffer.getvalue())])


def _ancestor_paths(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]


def second_city(made: Made) -> None:
    """A second city with its own association, whose administrator and inspector are the outsiders of the city-level
    routes (inspections/..., association/...): the demo has one city only."""
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.testing.factories import UserFactory, make_org

    city = make_org("邵阳市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    association = make_org("邵阳市司法矫治协会", OrganisationKind.ASSOCIATION, city)
    UserFactory(username="association_admin_shaoyang", organisation=association, role=Role.ASSOCIATION_ADMIN)
    UserFactory(username="inspector_shaoyang", organisation=association, role=Role.INSPECTOR)


MAKERS: list[Callable[[Made], None]] = [
    tokens,
    jobs,
    supervision,
    assessment,
    services,
    projects,
    app,
    learning,
    documents,
    juvenile,
    instruments,
    city_work,
    outsider_project,
    outsider_catalogues,
    ended,
    audit_entry,
    second_city,
]


def create_records(only: Iterable[Callable[[Made], None]] = ()) -> Made:
    made: Made = defaultdict(set)
    for maker in list(only) or MAKERS:
        maker(made)
    return made
