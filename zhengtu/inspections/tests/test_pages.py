"""Inspection pages as each kind of user meets them, and 404 for everyone outside the scope."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtu.inspections.models import (
    EvidenceFile,
    InspectionRound,
    PanelMember,
    ProjectInspection,
    RoundStatus,
    Scoresheet,
)
from zhengtu.inspections.services import findings as finding_services
from zhengtu.inspections.services import rounds as round_services

from .conftest import score_total, seat_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(iw):
    panel = seat_panel(iw, "第一组", iw.inspectors[:2], [iw.inspection_a])
    seat_panel(iw, "第二组", [iw.inspectors[2]], [iw.inspection_b, iw.inspection_city])
    round_services.start_round(actor=iw.aw.admin_actor, inspection_round=iw.round)
    activity = finding_services.record_activity(
        actor=iw.aw.admin_actor,
        inspection=iw.inspection_a,
        kind="site_visit",
        occurred_on=dt.date(2026, 6, 10),
        notes="实地查看服务场地与档案室",
        files=[SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff", "image/jpeg")],
    )
    item = finding_services.create_rectification(
        actor=iw.aw.admin_actor, inspection=iw.inspection_a, description="完善档案"
    )
    sheet = score_total(iw, iw.inspection_a, iw.inspectors[0], "82")
    return {
        "panel": panel,
        "evidence": activity.evidence.get(),
        "item": item,
        "sheet": sheet,
        "member": panel.members.first(),
    }


def all_urls(iw, records):
    inspection, panel = iw.inspection_a, records["panel"]
    return [
        ("get", reverse("inspections:round-detail", args=[iw.round.pk])),
        ("get", reverse("inspections:round-edit", args=[iw.round.pk])),
        ("post", reverse("inspections:round-add-projects", args=[iw.round.pk])),
        ("post", reverse("inspections:round-status", args=[iw.round.pk])),
        ("get", reverse("inspections:round-report", args=[iw.round.pk])),
        ("post", reverse("inspections:panel-create", args=[iw.round.pk])),
        ("post", reverse("inspections:panel-draw", args=[panel.pk])),
        ("post", reverse("inspections:panel-member-add", args=[panel.pk])),
        ("post", reverse("inspections:panel-member-change", args=[panel.pk, records["member"].pk])),
        ("get", reverse("inspections:inspection-detail", args=[inspection.pk])),
        ("post", reverse("inspections:inspection-plan", args=[inspection.pk])),
        ("post", reverse("inspections:inspection-remove", args=[inspection.pk])),
        ("get", reverse("inspections:inspection-score", args=[inspection.pk])),
        ("post", reverse("inspections:inspection-status", args=[inspection.pk])),
        ("post", reverse("inspections:scoresheet-reopen", args=[inspection.pk, records["sheet"].pk])),
        ("post", reverse("inspections:activity-add", args=[inspection.pk])),
        ("post", reverse("inspections:finding-add", args=[inspection.pk])),
        ("post", reverse("inspections:rectification-add", args=[inspection.pk])),
        ("get", reverse("inspections:project-report", args=[inspection.pk])),
        ("get", reverse("inspections:rectification-close", args=[records["item"].pk])),
        ("post", reverse("inspections:rectification-reopen", args=[records["item"].pk])),
        ("get", reverse("inspections:evidence-download", args=[records["evidence"].pk])),
        ("get", reverse("inspections:expert-detail", args=[iw.inspectors[0].pk])),
        ("post", reverse("inspections:conflict-add", args=[iw.inspectors[0].pk])),
        ("post", reverse("inspections:absence-add", args=[iw.inspectors[0].pk])),
        ("get", reverse("inspections:rubric-detail", args=[iw.rubric.pk])),
        ("get", reverse("inspections-api-round-figures", args=[iw.round.pk])),
        ("get", reverse("inspections-api-inspection", args=[inspection.pk])),
        ("get", reverse("inspections-api-scoresheet", args=[inspection.pk])),
        ("put", reverse("inspections-api-scoresheet", args=[inspection.pk])),
    ]


@pytest.mark.parametrize("who", ["other_admin", "other_inspector", "other_manager"])
def test_outsiders_get_404_everywhere(client, login, iw, running, who):
    login(client, getattr(iw.aw, who))
    for method, url in all_urls(iw, running):
        if method == "post":
            response = client.post(url, {"to": "finalised", "name": "x", "size": "1", "reason": "x"})
        else:
            response = getattr(client, method)(url)
        assert response.status_code == 404, (who, url)
    assert InspectionRound.objects.get().status == RoundStatus.IN_PROGRESS
    assert ProjectInspection.objects.count() == 3 and PanelMember.objects.count() == 3
    assert client.get(reverse("inspections-api-rounds")).json()["count"] == 0
    assert client.get(reverse("inspections-api-rectifications")).json()["count"] == 0


def test_another_agency_in_the_round_sees_only_its_own_project(client, login, iw, running):
    login(client, iw.aw.manager_b)
    round_url = reverse("inspections:round-detail", args=[iw.round.pk])
    for method, url in all_urls(iw, running):
        if url == round_url:
            continue
        response = (
            client.post(url, {"to": "finalised", "name": "x"}) if method == "post" else getattr(client, method)(url)
        )
        assert response.status_code == 404, url
    html = client.get(round_url).content.decode()
    assert iw.aw.project_b.name in html and iw.aw.project_a.name not in html
    assert [r["project"] for r in client.get(reverse("inspections-api-rectifications")).json()["results"]] == []


def test_an_inspector_sees_only_projects_of_their_panel(client, login, iw, running):
    login(client, iw.inspectors[2].user)
    page = client.get(reverse("inspections:round-detail", args=[iw.round.pk]))
    html = page.content.decode()
    assert iw.aw.project_b.name in html and iw.aw.project_a.name not in html
    assert client.get(reverse("inspections:inspection-detail", args=[iw.inspection_a.pk])).status_code == 404
    assert client.get(reverse("inspections:inspection-score", args=[iw.inspection_a.pk])).status_code == 404
    assert client.get(reverse("inspections:inspection-score", args=[iw.inspection_b.pk])).status_code == 200


def test_an_inspector_scores_through_the_page(client, login, iw, running):
    login(client, iw.inspectors[1].user)
    url = reverse("inspections:inspection-score", args=[iw.inspection_a.pk])
    page = client.get(url)
    form = page.context["form"]
    data = {f"indicator_{i.pk}": str(i.weight) for i in form.indicators}
    first = form.indicators[0]
    data[f"indicator_{first.pk}"] = str(first.weight + 5)
    page = client.post(url, {**data, "submit": "1"})
    assert page.status_code == 200  # too many points: shown again with the values typed
    assert f'value="{first.weight + 5}"' in page.content.decode()
    assert not Scoresheet.objects.filter(expert=iw.inspectors[1]).exists()
    data[f"indicator_{first.pk}"] = "0"
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 302
    sheet = Scoresheet.objects.get(expert=iw.inspectors[1])
    assert sheet.submitted_at is not None
    detail = client.get(reverse("inspections:inspection-detail", args=[iw.inspection_a.pk])).content.decode()
    assert 'data-testid="panel-score"' not in detail  # experts do not see the combined score before it is final


def test_the_association_sees_every_scoresheet_and_the_panel_score(client, login, iw, running):
    score_total(iw, iw.inspection_a, iw.inspectors[1], "60")
    login(client, iw.aw.admin)
    html = client.get(reverse("inspections:inspection-detail", args=[iw.inspection_a.pk])).content.decode()
    assert 'data-testid="panel-score">71.00<' in html
    assert "82.00" in html and "60.00" in html
    round_page = client.get(reverse("inspections:round-detail", args=[iw.round.pk])).content.decode()
    assert "71.00" in round_page


def test_agency_manager_and_bureau_see_their_projects_and_the_final_score(client, login, iw, running):
    login(client, iw.aw.manager_a)
    url = reverse("inspections:inspection-detail", args=[iw.inspection_a.pk])
    html = client.get(url).content.decode()
    assert "完善档案" in html and 'data-testid="panel-score"' not in html
    assert client.get(reverse("inspections:inspection-detail", args=[iw.inspection_b.pk])).status_code == 404
    round_services.finalise_inspection(actor=iw.aw.admin_actor, inspection=iw.inspection_a)
    assert 'data-testid="panel-score">82.00<' in client.get(url).content.decode()
    login(client, iw.aw.base.bureau_a)
    assert client.get(url).status_code == 200
    assert client.get(reverse("inspections:inspection-detail", args=[iw.inspection_b.pk])).status_code == 404
    assert iw.aw.project_a.name in client.get(reverse("inspections:rectification-list")).content.decode()


def test_the_association_runs_a_round_from_its_pages(client, login, iw):
    login(client, iw.aw.admin)
    response = client.post(
        reverse("inspections:round-create"),
        {"title": "第二次督导巡查", "rubric": iw.rubric.pk, "starts_on": "2026-12-01", "ends_on": "2026-12-20"},
    )
    new_round = InspectionRound.objects.get(title="第二次督导巡查")
    assert response.status_code == 302
    client.post(reverse("inspections:round-add-projects", args=[new_round.pk]), {"projects": [iw.aw.project_b.pk]})
    client.post(reverse("inspections:panel-create", args=[new_round.pk]), {"name": "第一组"})
    panel = new_round.panels.get()
    client.post(
        reverse("inspections:inspection-plan", args=[new_round.inspections.get().pk]),
        {"panel": panel.pk, "visit_on": "2026-12-05", "summary": "项目推进顺利"},
    )
    client.post(reverse("inspections:panel-draw", args=[panel.pk]), {"size": "2", "required_specialties": ["finance"]})
    assert panel.members.count() == 2
    assert panel.members.filter(expert__specialty="finance").exists()
    assert not panel.members.filter(expert=iw.county_b_conflict).exists()
    client.post(reverse("inspections:round-status", args=[new_round.pk]), {"to": "in_progress"})
    new_round.refresh_from_db()
    assert new_round.status == RoundStatus.IN_PROGRESS
    page = client.get(reverse("inspections:round-detail", args=[new_round.pk]))
    assert page.status_code == 200 and "第一组" in page.content.decode()


def test_the_other_city_project_cannot_be_added_to_a_round(client, login, iw):
    login(client, iw.aw.admin)
    client.post(reverse("inspections:round-add-projects", args=[iw.round.pk]), {"projects": [iw.aw.other_project.pk]})
    assert not iw.round.inspections.filter(project=iw.aw.other_project).exists()


def test_expert_pool_pages(client, login, iw):
    login(client, iw.aw.admin)
    assert iw.inspectors[0].name in client.get(reverse("inspections:expert-list")).content.decode()
    response = client.post(
        reverse("inspections:expert-create"),
        {
            "name": "外聘财务专家",
            "specialty": "finance",
            "employer_name": "某会计师事务所",
            "term_start": "2026-01-01",
            "term_end": "2027-12-31",
            "is_available": "on",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("inspections:expert-create"),
        {"name": "日期错误", "specialty": "law", "term_start": "2027-01-01", "term_end": "2026-01-01"},
    )
    assert bad.status_code == 200 and "日期错误" in bad.content.decode()
    expert = iw.inspectors[0]
    client.post(
        reverse("inspections:conflict-add", args=[expert.pk]),
        {"organisation": iw.aw.base.agency_a.pk, "reason": "兼职"},
    )
    assert expert.conflicts.filter(organisation=iw.aw.base.agency_a).exists()
    outside = client.post(
        reverse("inspections:conflict-add", args=[expert.pk]), {"organisation": iw.aw.other_agency.pk}
    )
    assert outside.status_code == 302 and expert.conflicts.count() == 1


def test_rubric_pages_lock_a_rubric_in_use(client, login, iw, running):
    login(client, iw.aw.admin)
    page = client.get(reverse("inspections:rubric-detail", args=[iw.rubric.pk]))
    assert page.context["locked"] and page.context["total"] == 100
    client.post(reverse("inspections:rubric-detail", args=[iw.rubric.pk]), {"copy": "1"})
    copy = iw.aw.association.rubric_templates.exclude(pk=iw.rubric.pk).get()
    section = copy.sections.first()
    client.post(
        reverse("inspections:rubric-detail", args=[copy.pk]),
        {"add_indicator": "1", "section": section.pk, "title": "新增指标", "weight": "2.5"},
    )
    assert section.indicators.filter(title="新增指标").exists()


def test_evidence_is_downloaded_by_the_panel_and_audited(client, login, iw, running):
    login(client, iw.inspectors[0].user)
    evidence = EvidenceFile.objects.get()
    response = client.get(reverse("inspections:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    login(client, iw.inspectors[2].user)
    assert client.get(reverse("inspections:evidence-download", args=[evidence.pk])).status_code == 404


def test_api_scoresheet_with_chinese_messages(client, login, iw, running):
    login(client, iw.inspectors[1].user)
    url = reverse("inspections-api-scoresheet", args=[iw.inspection_a.pk])
    from zhengtu.inspections.services.scoresheets import indicators_of

    indicators = indicators_of(iw.inspection_a)
    bad = client.put(
        url,
        {"scores": [{"indicator": indicators[0].pk, "points": "99"}], "submit": True},
        content_type="application/json",
    )
    assert bad.status_code == 400
    good = client.put(
        url,
        {"scores": [{"indicator": i.pk, "points": str(i.weight)} for i in indicators], "submit": True},
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["submitted_at"]
    detail = client.get(reverse("inspections-api-inspection", args=[iw.inspection_a.pk])).json()
    assert detail["panel_score"] is None  # not final yet
    login(client, iw.aw.admin)
    detail = client.get(reverse("inspections-api-inspection", args=[iw.inspection_a.pk])).json()
    assert detail["panel_score"]["mean"] == "91.00"
    figures = client.get(reverse("inspections-api-round-figures", args=[iw.round.pk])).json()
    assert figures["projects_inspected"] == 1 and figures["average_score"] == "91.00"


def test_lists_show_nothing_of_another_association(client, login, iw, running):
    login(client, iw.aw.other_admin)
    assert iw.round.title not in client.get(reverse("inspections:round-list")).content.decode()
    assert iw.inspectors[0].name not in client.get(reverse("inspections:expert-list")).content.decode()
    assert iw.rubric.name not in client.get(reverse("inspections:rubric-list")).content.decode()
    assert "完善档案" not in client.get(reverse("inspections:rectification-list")).content.decode()
    login(client, iw.inspectors[0].user)
    assert client.get(reverse("inspections:expert-list")).status_code == 403
    assert client.get(reverse("inspections:round-create")).status_code == 403
