"""KPI figures counted from the supervision file, the assessment module and electronic monitoring.

Each test moves a target by doing the work through the app's own services, checks it did not move
before, and that the same work written in two apps counts once (projects.rules
`project_indicator_counted_by`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengtu.assessment.models import Instrument
from zhengtu.assessment.services.assessments import start_assessment, submit_assessment
from zhengtu.assessment.services.instruments import load_shipped_instruments
from zhengtu.assessment.services.reports import issue_report
from zhengtu.assessment.tests.test_scoring import INTAKE_ANSWERS
from zhengtu.monitoring.alerts import acknowledge_alert, handle_alert, raise_alert
from zhengtu.monitoring.models import AlertKind, DeviceKind, Protocol
from zhengtu.monitoring.services import bind_device, register_device
from zhengtu.projects import indicators as kpi
from zhengtu.projects import services
from zhengtu.projects.models import KpiTarget
from zhengtu.projects.progress import target_progress
from zhengtu.projects.tests.conftest import actor, assign, person
from zhengtu.services.models import ServiceKind, VisitType
from zhengtu.services.services import record_service
from zhengtu.supervision.models import CheckInChannel, CheckInKind, VisitKind
from zhengtu.supervision.services.daily import record_check_in, record_visit
from zhengtu.workdays.calendar import load_year_from_chinesecalendar

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
PHQ_NONE = {f"phq{n}": "0" for n in range(1, 10)}
COUNT_FROM_THE_OTHER_APPS = {
    "psychological_tests": "assessment",
    "routine_visits": "supervision",
    "location_installs": "monitoring",
}


def target(pw, indicator: str, value: int = 10) -> KpiTarget:  # type: ignore[no-untyped-def]
    return services.set_target(
        actor=actor(pw.manager), project=pw.project, indicator=indicator,
        period_start=YEAR[0], period_end=YEAR[1], target_value=value,
    )  # fmt: skip


def done(kpi_target: KpiTarget) -> int:
    return target_progress(kpi_target, as_of=timezone.localdate()).actual


@pytest.fixture
def shipped(db: None) -> dict[str, Instrument]:
    load_shipped_instruments()
    load_year_from_chinesecalendar(2026)
    return {instrument.code: instrument for instrument in Instrument.objects.select_related("current_version")}


@pytest.fixture
def client_person(world, pw):  # type: ignore[no-untyped-def]
    someone = person(world.office_a, name="测试甲")
    assign(pw.worker, [someone])
    return someone


def test_every_new_indicator_can_be_targeted_and_contested_ones_name_their_apps(db: None) -> None:
    codes = kpi.indicators()
    for code in ("check_ins", "psychological_reports", "assessments_scored", "assessment_reports_on_time"):
        assert code in codes
    assert "alerts_handled" in codes
    contested = kpi.contested()
    assert contested["psychological_tests"] == ["assessment", "services"]
    assert contested["routine_visits"] == ["supervision", "services"]
    assert contested["location_installs"] == ["monitoring", "services"]
    assert "check_ins" not in contested
    assert {kpi.counting_app(code) for code in contested} == {"services"}


@pytest.mark.django_db
def test_a_check_in_recorded_by_project_staff_moves_the_target_and_shows_on_the_kpi_page(
    client, login, world, pw, client_person
):  # type: ignore[no-untyped-def]
    check_ins = target(pw, "check_ins")
    assert done(check_ins) == 0
    record_check_in(
        actor=actor(pw.worker), supervisee=client_person, kind=CheckInKind.CHECK_IN,
        channel=CheckInChannel.IN_PERSON, occurred_on=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip
    assert done(check_ins) == 1
    # The justice office's own check-ins are not the agency's work; nor is anyone's outside the county.
    record_check_in(
        actor=actor(world.officer_a), supervisee=client_person, kind=CheckInKind.CHECK_IN,
        channel=CheckInChannel.PHONE, occurred_on=timezone.localdate(),
    )  # fmt: skip
    elsewhere = person(world.office_b, name="测试乙")
    record_check_in(
        actor=actor(pw.supervisor), supervisee=elsewhere, kind=CheckInKind.CHECK_IN,
        channel=CheckInChannel.PHONE, occurred_on=timezone.localdate(),
    )  # fmt: skip
    assert done(check_ins) == 1
    login(client, pw.manager)
    page = client.get(reverse("projects:targets", args=[pw.project.pk])).content.decode()
    assert 'data-indicator="check_ins"' in page
    records = client.get(reverse("projects:target_records", args=[pw.project.pk, check_ins.pk]))
    assert records.status_code == 200
    assert reverse("supervision:file", args=[client_person.pk]) in records.content.decode()
    login(client, pw.outsider)
    assert client.get(reverse("projects:target_records", args=[pw.project.pk, check_ins.pk])).status_code == 404


@pytest.mark.django_db
def test_a_psychological_report_counts_when_it_is_issued_not_before(pw, client_person, shipped):  # type: ignore[no-untyped-def]
    reports = target(pw, "psychological_reports")
    screening = start_assessment(actor=actor(pw.worker), supervisee=client_person, instrument=shipped["phq9"])
    submit_assessment(actor=actor(pw.worker), assessment=screening, answers=PHQ_NONE)
    assert done(reports) == 0
    issue_report(actor=actor(pw.worker), assessment=screening)
    assert done(reports) == 1
    rows = kpi.evidence(pw.project, "psychological_reports", *YEAR)
    assert len(rows) == 1 and rows[0].url == reverse("assessment:detail", args=[screening.pk])


@pytest.mark.django_db
def test_only_reports_issued_within_the_deadline_count_as_on_time(pw, world, client_person, shipped):  # type: ignore[no-untyped-def]
    on_time, scored = target(pw, "assessment_reports_on_time"), target(pw, "assessments_scored")

    def intake(received_on: dt.date):  # type: ignore[no-untyped-def]
        assessment = start_assessment(
            actor=actor(pw.worker), supervisee=client_person, instrument=shipped["intake_example"],
            received_on=received_on,
        )  # fmt: skip
        return submit_assessment(actor=actor(pw.worker), assessment=assessment, answers=INTAKE_ANSWERS)

    prompt, slow = intake(dt.date(2026, 9, 30)), intake(dt.date(2026, 11, 2))
    assert done(scored) == 2 and done(on_time) == 0
    # Due on the make-up Saturday 10 October after the National Day holiday: issued on the 10th.
    issue_report(actor=actor(pw.worker), assessment=prompt, issued_at=timezone.make_aware(dt.datetime(2026, 10, 10, 9)))
    issue_report(actor=actor(pw.worker), assessment=slow, issued_at=timezone.make_aware(dt.datetime(2026, 11, 20, 9)))
    assert done(on_time) == 1


@pytest.mark.django_db
def test_a_screening_listed_in_the_ledger_and_scored_in_assessment_counts_once(
    pw, world, client_person, shipped, settings
):  # type: ignore[no-untyped-def]
    tests = target(pw, "psychological_tests")
    other = person(world.office_a, name="测试丙")
    assign(pw.worker, [other])
    day = timezone.localdate() - dt.timedelta(days=2)
    record_service(
        actor=actor(pw.worker), project=pw.project, kind=ServiceKind.PSYCHOLOGICAL_TEST, held_on=day,
        duration_hours=Decimal("1"), topic="PHQ-9 心理测量", attendees=[client_person, other],
    )  # fmt: skip
    screening = start_assessment(actor=actor(pw.worker), supervisee=client_person, instrument=shipped["phq9"])
    submit_assessment(actor=actor(pw.worker), assessment=screening, answers=PHQ_NONE)
    assert done(tests) == 2  # the ledger counts (two attendees); the scored questionnaire is not added
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "project_indicator_counted_by": COUNT_FROM_THE_OTHER_APPS}
    assert done(tests) == 1  # the assessment module counts; the ledger's listing is not added
    assert [row.url for row in kpi.evidence(pw.project, "psychological_tests", *YEAR)] == [
        reverse("assessment:detail", args=[screening.pk])
    ]


@pytest.mark.django_db
def test_a_visit_written_in_the_file_and_in_the_ledger_counts_once(pw, client_person, settings):  # type: ignore[no-untyped-def]
    visits = target(pw, "routine_visits")
    day = timezone.localdate() - dt.timedelta(days=3)
    record_visit(
        actor=actor(pw.worker), supervisee=client_person, kind=VisitKind.ROUTINE, visited_on=day,
        place="家中", notes="情绪稳定",
    )  # fmt: skip
    assert done(visits) == 0  # the ledger counts visits by default, and it lists none yet
    record_service(
        actor=actor(pw.worker), project=pw.project, kind=ServiceKind.VISIT, visit_type=VisitType.ROUTINE,
        held_on=day, duration_hours=Decimal("1"), topic="日常走访", attendees=[client_person],
    )  # fmt: skip
    assert done(visits) == 1
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "project_indicator_counted_by": COUNT_FROM_THE_OTHER_APPS}
    assert done(visits) == 1
    record_visit(
        actor=actor(pw.worker), supervisee=client_person, kind=VisitKind.ROUTINE, visited_on=day,
        place="村委会", notes="再次走访",
    )  # fmt: skip
    assert done(visits) == 1  # people visited: the same person twice is one


@pytest.mark.django_db
def test_handled_alerts_and_app_installations_count_by_area(pw, world, client_person, settings):  # type: ignore[no-untyped-def]
    handled, installs = target(pw, "alerts_handled"), target(pw, "location_installs")
    bureau = actor(world.bureau_a)
    alert = raise_alert(
        kind=AlertKind.LOW_BATTERY, supervisee_id=client_person.pk, supervisee_name=client_person.name,
        officer_id=None,
    )  # fmt: skip
    acknowledge_alert(actor=bureau, alert=alert)
    assert done(handled) == 0
    handle_alert(actor=bureau, alert=alert, notes="已电话提醒充电", actions_taken="电话提醒")
    assert done(handled) == 1
    elsewhere = person(world.office_b, name="测试乙")
    other = raise_alert(kind=AlertKind.SOS, supervisee_id=elsewhere.pk, supervisee_name=elsewhere.name, officer_id=None)
    acknowledge_alert(actor=actor(pw.outsider), alert=other)
    handle_alert(actor=actor(pw.outsider), alert=other, notes="核实", actions_taken="")
    assert done(handled) == 1
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "project_indicator_counted_by": COUNT_FROM_THE_OTHER_APPS}
    assert done(installs) == 0
    phone = register_device(
        actor=bureau, identifier="app-test-1", kind=DeviceKind.PHONE, protocol=Protocol.OSMAND,
        organisation=world.county_a,
    )  # fmt: skip
    now = timezone.now()
    bind_device(
        actor=bureau, device=phone, supervisee=client_person, starts_at=now, ends_at=now + dt.timedelta(days=30)
    )
    assert done(installs) == 1


def test_a_rule_naming_an_app_that_cannot_count_the_indicator_is_reported(settings) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.projects.checks import check_indicator_counting

    assert check_indicator_counting() == []
    settings.ZHENGTU_RULES = {
        **settings.ZHENGTU_RULES,
        "project_indicator_counted_by": {"routine_visits": "monitoring"},
    }
    assert [message.id for message in check_indicator_counting()] == ["projects.W001", "projects.W002"]
    assert kpi.counting_app("routine_visits") == "supervision"  # the first app that can, until the rule is fixed
