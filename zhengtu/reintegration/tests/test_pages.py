"""The pages: per-office list, one person, one need and its forms, the export; scoped, audited, at phone width."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone, translation

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.reintegration import services
from zhengtu.reintegration.models import Need, NeedStatus, Outcome

from .conftest import Reint, need_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _pages(need: Need) -> list[str]:
    person = need.supervisee_id
    return [
        f"/reintegration/supervisees/{person}/",
        f"/reintegration/supervisees/{person}/new/",
        f"/reintegration/needs/{need.pk}/",
        f"/reintegration/needs/{need.pk}/refer/",
        f"/reintegration/needs/{need.pk}/action/",
        f"/reintegration/needs/{need.pk}/outcome/",
        f"/reintegration/needs/{need.pk}/withdraw/",
    ]


def test_every_page_opens_for_the_office_and_is_404_for_another_county(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    need = need_for(reint.world.officer_a, reint.person_a)
    login(client, reint.world.officer_a)
    for url in _pages(need):
        assert client.get(url).status_code == 200, url
    client.logout()
    login(client, reint.world.officer_b)
    for url in _pages(need):
        assert client.get(url).status_code == 404, url
    posted = client.post(f"/reintegration/needs/{need.pk}/refer/", {"agency_kind": "school", "agency_name": "x"})
    assert posted.status_code == 404
    assert client.post(f"/reintegration/supervisees/{reint.person_a.pk}/from-assessment/", {}).status_code == 404
    referral = services.refer_need(
        actor=Actor(user=reint.world.officer_a),
        need=need,
        agency_kind="school",
        agency_name="溆浦县第三中学",
        contact_phone="13800001111",
        referred_on=TODAY,
    )
    assert client.post(f"/reintegration/referrals/{referral.pk}/phone/").status_code == 404
    need.refresh_from_db()
    assert need.referrals.count() == 1


def test_the_list_shows_only_the_scope_and_filters_by_office_kind_and_waiting(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    world = reint.world
    waiting = need_for(world.officer_a, reint.person_a, kind="vocational_training", days_ago=30)
    need_for(world.bureau_a, reint.person_a2, kind="social_assistance", days_ago=1)
    need_for(world.officer_b, reint.person_b)
    login(client, world.bureau_a)
    text = client.get("/reintegration/").content.decode()
    assert "王建华" in text and "李秀英" in text and "赵国强" not in text
    text = client.get(f"/reintegration/?office={world.office_a2.pk}").content.decode()
    assert "李秀英" in text and "王建华" not in text
    text = client.get("/reintegration/?kind=vocational_training").content.decode()
    assert "王建华" in text and "李秀英" not in text
    page = client.get("/reintegration/?waiting=on")
    assert [n.pk for n in page.context["page"]] == [waiting.pk]
    # Another county's office is not offered (nor accepted) as a filter.
    assert client.get(f"/reintegration/?office={world.office_b.pk}").context["page"].paginator.count == 2


def test_recording_a_need_a_referral_and_an_outcome_through_the_forms(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, reint.world.officer_a)
    person = reint.person_a
    response = client.post(
        f"/reintegration/supervisees/{person.pk}/new/",
        {"kind": "employment_guidance", "description": "待业，希望就近就业", "found_on": TODAY.isoformat()},
    )
    need = Need.objects.get(supervisee=person)
    assert response.status_code == 302 and response["Location"] == f"/reintegration/needs/{need.pk}/"
    client.post(
        f"/reintegration/needs/{need.pk}/refer/",
        {"agency_kind": "employer", "agency_name": "溆浦县湘农农业开发有限公司", "contact_phone": "13974510021",
         "referred_on": TODAY.isoformat()},
    )  # fmt: skip
    page = client.get(f"/reintegration/needs/{need.pk}/").content.decode()
    assert "溆浦县湘农农业开发有限公司" in page and "13974510021" not in page  # the phone is masked
    client.post(f"/reintegration/needs/{need.pk}/outcome/", {"outcome": "employed", "outcome_on": TODAY.isoformat()})
    need.refresh_from_db()
    assert need.status == NeedStatus.CLOSED and need.outcome == Outcome.EMPLOYED
    # A closed need offers no more forms, and a late post is refused with the reason in Chinese.
    assert 'id="need-actions"' not in client.get(f"/reintegration/needs/{need.pk}/").content.decode()
    late = client.get(f"/reintegration/needs/{need.pk}/refer/", follow=True).content.decode()
    assert "已结案" in late


def test_bad_input_shows_the_form_again_with_a_chinese_message(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, reint.world.officer_a)
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/reintegration/supervisees/{reint.person_a.pk}/new/",
        {"kind": "schooling", "description": "复学", "found_on": future},
    )
    assert response.status_code == 200 and "日期不能晚于今天" in response.content.decode()
    assert not Need.objects.exists()


def test_reading_pages_and_revealing_a_phone_are_audited(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    need = need_for(reint.world.officer_a, reint.person_a)
    referral = services.refer_need(
        actor=Actor(user=reint.world.officer_a),
        need=need,
        agency_kind="civil_affairs",
        agency_name="溆浦县民政局",
        contact_phone="13800001111",
        referred_on=TODAY,
    )
    login(client, reint.world.officer_a)
    client.get(f"/reintegration/needs/{need.pk}/")
    client.get(f"/reintegration/supervisees/{reint.person_a.pk}/")
    assert AuditEntry.objects.filter(action="view", object_type="reintegration.need", object_id=str(need.pk)).exists()
    assert AuditEntry.objects.filter(action="view", object_type="supervisees.supervisee").exists()
    revealed = client.post(f"/reintegration/referrals/{referral.pk}/phone/")
    assert "13800001111" in revealed.content.decode()
    assert AuditEntry.objects.filter(action="reveal", object_type="reintegration.referral").exists()


def test_the_export_is_scoped_filtered_and_audited(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    world = reint.world
    need_for(world.officer_a, reint.person_a, kind="vocational_training")
    need_for(world.bureau_a, reint.person_a2, kind="temporary_relief")
    need_for(world.officer_b, reint.person_b)
    login(client, world.bureau_a)
    response = client.get("/reintegration/export.xlsx?kind=vocational_training")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == ["王建华"]
    entry = AuditEntry.objects.get(action="export", object_type="reintegration.need")
    assert entry.detail["records"] == 1 and entry.detail["filters"] == {"kind": "vocational_training"}


def test_pages_refuse_roles_without_the_capability(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    need = need_for(reint.world.officer_a, reint.person_a)
    inspector = UserFactory(organisation=reint.world.county_a, role=Role.INSPECTOR)
    login(client, inspector)
    assert client.get("/reintegration/").status_code == 403
    assert client.get(f"/reintegration/needs/{need.pk}/").status_code == 403
    manager = UserFactory(organisation=reint.world.agency_a, role=Role.AGENCY_MANAGER)
    client.logout()
    login(client, manager)  # reads the list but records nothing
    assert client.get("/reintegration/").status_code == 200
    assert client.get(f"/reintegration/supervisees/{reint.person_a.pk}/new/").status_code == 403


def test_the_sidebar_links_the_list_for_officers_only(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    login(client, reint.world.officer_a)
    assert 'href="/reintegration/"' in client.get("/").content.decode()
    client.logout()
    login(client, UserFactory(organisation=reint.world.county_a, role=Role.INSPECTOR))
    assert 'href="/reintegration/"' not in client.get("/").content.decode()


def test_date_fields_come_filled_with_today_in_the_browsers_format(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, reint.world.officer_a)
    with translation.override("zh-hans"):
        text = client.get(f"/reintegration/supervisees/{reint.person_a.pk}/new/").content.decode()
    assert f'value="{TODAY.isoformat()}"' in text  # <input type="date"> shows nothing for 2026/12/07


def test_needs_found_by_the_assessment_are_offered_and_recorded_once(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.assessment.models import Assessment, Instrument, InstrumentKind
    from zhengtu.assessment.services.instruments import load_shipped_instruments

    load_shipped_instruments()
    instrument = Instrument.objects.get(code="intake_example")
    assert instrument.kind == InstrumentKind.RISK_NEEDS
    needs = [
        {"domain": "education_work", "label": "教育与就业", "measures": "推荐职业技能培训"},
        {"domain": "substance", "label": "物质滥用", "measures": "戒毒康复"},  # not this app's: not offered
    ]
    assessment = Assessment.objects.create(
        supervisee=reint.person_a,
        instrument_version=instrument.current_version,
        office=reint.world.office_a,
        mode="interview",
        status="submitted",
        received_on=TODAY,
        submitted_at=timezone.now(),
        result={"score": {"needs": needs}},
    )
    login(client, reint.world.officer_a)
    url = f"/reintegration/supervisees/{reint.person_a.pk}/"
    text = client.get(url).content.decode()
    assert 'id="suggested"' in text and "教育与就业" in text and "物质滥用" not in text
    client.post(f"{url}from-assessment/", {"domain": "education_work"})
    need = Need.objects.get(supervisee=reint.person_a)
    assert (need.source, need.kind, need.assessment_id) == ("assessment", "employment_guidance", assessment.pk)
    assert 'id="suggested"' not in client.get(url).content.decode()
    client.post(f"{url}from-assessment/", {"domain": "education_work"})  # a second click records nothing
    assert Need.objects.count() == 1
