"""The process, the social investigation, appropriate adults, conditional non-prosecution and documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.juvenile.models import InvestigationStatus, Stage
from zhengtu.juvenile.services import cases as case_services
from zhengtu.juvenile.services import investigations as inv
from zhengtu.juvenile.services import measures
from zhengtu.supervision.tests.pdf import pdf_text
from zhengtu.testing.factories import make_supervisee
from zhengtu.workspace.models import Notification

from .conftest import Juvenile, accepted


def test_a_case_needs_consent_and_moves_through_the_standard_process(juv: Juvenile) -> None:
    case = juv.refer(child_consent=False)
    with pytest.raises(ValidationError):
        case_services.accept_case(actor=Actor(user=juv.worker), case=case, content="接案")
    case_services.record_consent(actor=Actor(user=juv.worker), case=case, child_consent=True, guardian_consent=True)
    case = case_services.accept_case(actor=Actor(user=juv.worker), case=case, content="接案")
    seen = [case.stage]
    for step in ("预估", "计划", "服务", "评估", "结案", "跟进"):
        case = case_services.advance_stage(actor=Actor(user=juv.worker), case=case, content=step)
        seen.append(case.stage)
    assert seen == [Stage.INTAKE, Stage.ASSESSMENT, Stage.PLAN, Stage.SERVICE, Stage.EVALUATION, Stage.CLOSED,
                    Stage.FOLLOW_UP]  # fmt: skip
    assert case.closed_on == timezone.localdate()
    assert case.retain_until is not None and case.retain_until.year == case.closed_on.year + 5
    with pytest.raises(ValidationError):
        case_services.advance_stage(actor=Actor(user=juv.worker), case=case, content="再往后")


@override_settings(ZHENGTU_RULES={"juvenile_retention_years": 8})
def test_retention_is_a_setting(juv: Juvenile) -> None:
    case = accepted(juv)
    for step in ("预估", "计划", "服务", "评估", "结案"):
        case = case_services.advance_stage(actor=Actor(user=juv.worker), case=case, content=step)
    assert case.retain_until is not None and case.closed_on is not None
    assert case.retain_until.year == case.closed_on.year + 8


def test_prosecutor_refers_only_to_an_agency_of_their_county(juv: Juvenile) -> None:
    from zhengtu.orgs.models import Organisation

    other_agency = Organisation.objects.get(name="辰溪县启航社会工作服务中心")
    with pytest.raises(ValidationError):
        juv.refer(agency=other_agency)
    case = juv.refer()
    assert case.county == juv.county_a and case.referring_organisation == juv.procuratorate_a
    assert case.number.startswith(f"未{case.referred_on.year}-")
    assert Notification.objects.filter(recipient=juv.worker, kind="juvenile_referral").exists()
    assert case.guardians.get().phone_masked == "138****5678"


def test_social_investigation_from_interviews_to_the_prosecutor(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    case = accepted(juv)
    investigation = inv.request_investigation(actor=Actor(user=juv.prosecutor_a), case=case)
    with pytest.raises(ValidationError):
        inv.draft_from_interviews(actor=Actor(user=juv.worker), investigation=investigation)
    for kind, name, section, said in (
        ("guardian", "王建国", "family_and_guardianship", "父母外出务工，由祖父母照看"),
        ("school", "李老师", "school_or_work", "初二学生，成绩中等，偶有旷课"),
        ("police_station", "卢峰派出所张警官", "conduct_after_offence", "到案后如实供述"),
    ):
        inv.record_interview(
            actor=Actor(user=juv.worker),
            investigation=investigation,
            informant_kind=kind,
            informant_name=name,
            held_on=timezone.localdate(),
            section=section,
            statement=said,
        )
    investigation = inv.draft_from_interviews(actor=Actor(user=juv.worker), investigation=investigation)
    assert "祖父母照看" in investigation.family_and_guardianship and "王建国" in investigation.family_and_guardianship
    with pytest.raises(ValidationError):  # conclusions and recommendations are the social worker's own words
        inv.submit_report(actor=Actor(user=juv.worker), investigation=investigation)
    inv.edit_report(
        actor=Actor(user=juv.worker),
        investigation=investigation,
        sections={"conclusions": "监护缺位是主要成因", "recommendations": "建议适用附条件不起诉"},
    )
    inv.submit_report(actor=Actor(user=juv.worker), investigation=investigation)
    with pytest.raises(PermissionDenied):  # a social worker does not approve
        inv.approve_report(actor=Actor(user=juv.worker), investigation=investigation)
    with pytest.raises(ValidationError):
        inv.send_report(actor=Actor(user=juv.worker), investigation=investigation)
    inv.approve_report(actor=Actor(user=juv.manager), investigation=investigation)
    with pytest.raises(ValidationError):
        inv.edit_report(actor=Actor(user=juv.worker), investigation=investigation, sections={"causes": "x"})
    investigation = inv.send_report(actor=Actor(user=juv.worker), investigation=investigation)
    assert investigation.status == InvestigationStatus.SENT
    assert Notification.objects.filter(recipient=juv.prosecutor_a, kind="juvenile_report").exists()

    login(client, juv.prosecutor_a)
    received = client.get(reverse("juvenile:received")).content.decode()
    assert case.number in received
    pdf = client.get(reverse("juvenile:document_pdf", args=[investigation.document_id]))
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "未成年犯罪嫌疑人社会调查报告" in text and "王小明" in text and "祖父母照看" in text
    assert "建议适用附条件不起诉" in text
    login(client, juv.prosecutor_b)
    assert case.number not in client.get(reverse("juvenile:received")).content.decode()


def test_service_documents_carry_chinese_text_and_templates_are_registered(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.documents.registry import document_kinds
    from zhengtu.juvenile.documents import SERVICE_DOCUMENT_CODES

    assert len(SERVICE_DOCUMENT_CODES) == 9
    assert set(SERVICE_DOCUMENT_CODES) <= set(document_kinds())
    case = accepted(juv)
    document = case_services.issue_case_document(actor=Actor(user=juv.worker), case=case, code="juvenile.registration")
    text = pdf_text(document.pdf.read())
    assert "接案登记表" in text and "王小明" in text and "接案面谈" in text
    with pytest.raises(ValidationError):
        case_services.issue_case_document(actor=Actor(user=juv.worker), case=case, code="supervision.leave_approval")
    login(client, juv.worker)
    response = client.post(reverse("juvenile:case_document", args=[case.pk]), {"code": "juvenile.plan"})
    assert response.status_code == 302
    assert case.documents.filter(code="juvenile.plan").exists()


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_conditional_non_prosecution_test_period_is_6_to_12_months(juv: Juvenile, months: int, ok: bool) -> None:
    case = accepted(juv, service_type="help_education")
    start = timezone.localdate() - dt.timedelta(days=10)

    def run() -> object:
        return measures.start_non_prosecution(
            actor=Actor(user=juv.prosecutor_a),
            case=case,
            decided_on=start,
            test_months=months,
            obligations="遵守法律法规，按时报告活动情况，离开县域须经批准",
        )

    if ok:
        supervision = run()
        assert supervision.ends_on == measures.add_months(start, months)  # type: ignore[attr-defined]
    else:
        with pytest.raises(ValidationError, match="6"):
            run()


@override_settings(ZHENGTU_RULES={"non_prosecution_test_max_months": 9})
def test_the_limits_are_settings(juv: Juvenile) -> None:
    case = accepted(juv)
    with pytest.raises(ValidationError):
        measures.start_non_prosecution(
            actor=Actor(user=juv.prosecutor_a), case=case, decided_on=timezone.localdate(), test_months=10,
            obligations="按时报告",
        )  # fmt: skip


def test_out_of_range_period_is_refused_on_the_page_with_a_message(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    case = accepted(juv)
    login(client, juv.prosecutor_a)
    response = client.post(
        reverse("juvenile:non_prosecution_new", args=[case.pk]),
        {"decided_on": timezone.localdate().isoformat(), "test_months": 18, "obligations": "按时报告",
         "report_every_days": 30},
    )  # fmt: skip
    assert response.status_code == 200
    assert "6" in response.content.decode() and not hasattr(case, "non_prosecution")


def test_periodic_reports_and_end_of_period_assessment(juv: Juvenile) -> None:
    case = accepted(juv)
    decided = timezone.localdate() - dt.timedelta(days=200)
    supervision = measures.start_non_prosecution(
        actor=Actor(user=juv.prosecutor_a), case=case, decided_on=decided, test_months=6, obligations="按时报告"
    )
    with pytest.raises(ValidationError):
        measures.add_periodic_report(
            actor=Actor(user=juv.worker),
            supervision=supervision,
            period_start=decided - dt.timedelta(days=1),
            period_end=decided,
            content="x",
        )
    measures.add_periodic_report(
        actor=Actor(user=juv.worker),
        supervision=supervision,
        period_start=decided,
        period_end=decided + dt.timedelta(days=30),
        content="按时报告，表现良好",
    )
    assert Notification.objects.filter(recipient=juv.prosecutor_a, kind="juvenile_non_prosecution").exists()
    measures.conclude_non_prosecution(
        actor=Actor(user=juv.worker), supervision=supervision, outcome="completed", assessment="考验期表现良好"
    )
    supervision.refresh_from_db()
    assert supervision.status == "completed"


def test_appropriate_adult_request_assignment_and_attendance(juv: Juvenile) -> None:
    case = accepted(juv, service_type="appropriate_adult")
    adult = measures.add_adult(actor=Actor(user=juv.worker), county=juv.county_a, name="赵阿姨", phone="13900001111")
    other = measures.add_adult(actor=Actor(user=juv.worker_b), county=juv.county_b, name="钱叔叔")
    when = timezone.now() + dt.timedelta(hours=3)
    request = measures.request_adult(actor=Actor(user=juv.prosecutor_a), case=case, questioning_at=when, place="询问室")
    with pytest.raises(ValidationError):
        measures.assign_adult(actor=Actor(user=juv.worker), request=request, adult=other)
    with pytest.raises(ValidationError):
        measures.record_attendance(actor=Actor(user=juv.worker), request=request, attended=True)
    measures.assign_adult(actor=Actor(user=juv.worker), request=request, adult=adult)
    with pytest.raises(ValidationError):
        measures.record_attendance(
            actor=Actor(user=juv.worker), request=request, attended=True, attended_from=when, attended_until=when
        )
    measures.record_attendance(
        actor=Actor(user=juv.worker),
        request=request,
        attended=True,
        attended_from=when,
        attended_until=when + dt.timedelta(hours=1),
        notes="询问过程合法，未成年人情绪稳定",
    )
    request.refresh_from_db()
    assert request.status == "attended" and adult.phone_masked == "139****1111"


def test_a_linked_supervisee_record_does_not_open_the_sealed_case(juv: Juvenile) -> None:
    from zhengtu.juvenile.selectors import cases_visible_to
    from zhengtu.juvenile.services.sealing import seal_case

    case = accepted(juv)
    supervisee = make_supervisee(juv.office_a)
    case_services.link_supervisee(actor=Actor(user=juv.worker), case=case, supervisee=supervisee)
    seal_case(actor=Actor(user=juv.worker), case=case, basis="依法封存")
    assert not cases_visible_to(juv.bureau_a).filter(supervisee=supervisee).exists()


def test_prosecutor_oversees_their_county_read_only_and_every_view_is_audited(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.orgs.models import Organisation

    mine = make_supervisee(juv.office_a, name="李四")
    office_b = Organisation.objects.create(name="辰阳司法所", kind="justice_office", parent=juv.county_b)
    theirs = make_supervisee(office_b, name="赵六")
    login(client, juv.prosecutor_a)
    listing = client.get(reverse("juvenile:oversight")).content.decode()
    assert "李四" in listing and "赵六" not in listing
    assert client.get(reverse("juvenile:oversight_file", args=[mine.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="view", object_id=str(mine.pk), username=juv.prosecutor_a.username).exists()
    assert client.get(reverse("juvenile:oversight_file", args=[theirs.pk])).status_code == 404
    # Read-only: the supervision pages themselves stay closed to the prosecutor.
    assert client.get(reverse("supervision:file", args=[mine.pk])).status_code in (403, 404)


def test_referral_pages_for_the_prosecutor_and_for_staff(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.juvenile.models import JuvenileCase

    login(client, juv.prosecutor_a)
    form = {"service_type": "social_investigation", "child_name": "彭小军", "sex": "male", "birth_date": "2010-03-15",
            "agency": juv.agency_a.pk, "summary": "涉嫌抢夺", "child_consent": "on", "guardian_consent": "on"}  # fmt: skip
    response = client.post(reverse("juvenile:refer"), form)
    case = JuvenileCase.objects.get(child_name="彭小军")
    assert response.status_code == 302 and response["Location"] == reverse("juvenile:case", args=[case.pk])
    assert case.referring_organisation == juv.procuratorate_a and case.agency == juv.agency_a
    login(client, juv.worker)
    future = {**form, "child_name": "未来人", "birth_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
              "referrer_kind": "school", "referrer_name": "卢峰中学", "agency": ""}  # fmt: skip
    response = client.post(reverse("juvenile:refer"), future)
    assert response.status_code == 200 and "出生日期必须早于今天" in response.content.decode()
    assert not JuvenileCase.objects.filter(child_name="未来人").exists()
    response = client.post(reverse("juvenile:refer"), {**future, "birth_date": "2011-01-01"})
    school_case = JuvenileCase.objects.get(child_name="未来人")
    assert school_case.referrer_kind == "school" and school_case.agency == juv.agency_a


def test_word_version_is_generated_from_the_replaceable_template(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    import io

    from docx import Document

    case = accepted(juv)
    document = case_services.issue_case_document(actor=Actor(user=juv.worker), case=case, code="juvenile.closure")
    login(client, juv.worker)
    response = client.get(reverse("juvenile:document_docx", args=[document.pk]))
    assert response.status_code == 200
    word = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    assert "结案表" in text and "王小明" in text and "王建国（父亲）" in text
    login(client, juv.worker_b)
    assert client.get(reverse("juvenile:document_docx", args=[document.pk])).status_code == 404


def test_link_page_offers_only_supervisees_the_worker_sees(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.supervisees.models import Assignment

    case = accepted(juv)
    mine = make_supervisee(juv.office_a, name="周小明")
    hidden = make_supervisee(juv.office_a, name="吴某某")
    Assignment.objects.create(supervisee=mine, user=juv.worker, role="social_worker")
    login(client, juv.worker)
    page = client.get(reverse("juvenile:case_link", args=[case.pk])).content.decode()
    assert "周小明" in page and "吴某某" not in page
    assert client.post(reverse("juvenile:case_link", args=[case.pk]), {"supervisee": hidden.pk}).status_code == 200
    response = client.post(reverse("juvenile:case_link", args=[case.pk]), {"supervisee": mine.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.supervisee == mine
