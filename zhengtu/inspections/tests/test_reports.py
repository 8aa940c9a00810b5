"""The Word reports state figures computed from the scores (read back with python-docx)."""

import io

import pytest
from django.urls import reverse
from docx import Document

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.inspections.reports import render_project_report, render_round_summary
from zhengtu.inspections.services import findings as finding_services
from zhengtu.inspections.services import rounds as round_services

from .conftest import score_total, seat_panel

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture
def scored(iw):
    seat_panel(iw, "第一组", iw.inspectors[:2], [iw.inspection_a, iw.inspection_city])
    seat_panel(iw, "第二组", [iw.inspectors[2]], [iw.inspection_b])
    round_services.start_round(actor=iw.aw.admin_actor, inspection_round=iw.round)
    score_total(iw, iw.inspection_a, iw.inspectors[0], "86")
    score_total(iw, iw.inspection_a, iw.inspectors[1], "80")  # panel score 83
    score_total(iw, iw.inspection_city, iw.inspectors[0], "91.5")
    score_total(iw, iw.inspection_city, iw.inspectors[1], "90.5")  # panel score 91
    # project B's expert has only a draft: not inspected yet
    score_total(iw, iw.inspection_b, iw.inspectors[2], "70", submit=False)
    finding_services.add_finding(
        actor=iw.aw.admin_actor,
        inspection=iw.inspection_a,
        kind="problem",
        text="部分项目人员与机构其他项目混用",
        recommendation="在劳动合同上注明工作项目及地点",
        section=iw.rubric.sections.get(title="团队建设"),
    )
    finding_services.add_finding(
        actor=iw.aw.admin_actor, inspection=iw.inspection_city, kind="strength", text="形成“三位一体”服务模式"
    )
    iw.round.common_problems = "社工对社区矫正工作的熟悉程度有待提高。\n社工的专业能力有待提高。"
    iw.round.recommendations = "完善司法社工项目评估体系。"
    iw.round.save()
    return iw


def test_the_summary_report_states_projects_inspected_and_the_average_score(scored):
    iw = scored
    text = text_of(render_round_summary(iw.round))
    assert "2026年度司法社会工作项目督导巡查工作总结" in text
    assert "共2个项目的督导巡查" in text
    assert "区（县）级项目1个、市级项目1个" in text
    assert "平均得分87.00分，最高91.00分，最低83.00分" in text
    assert "根据《关于开展2026年度司法社会工作项目督导巡查工作的通知》。" in text  # the basis
    assert "部分项目人员与机构其他项目混用" in text and "团队建设" in text  # problems grouped by area
    assert "社工的专业能力有待提高。" in text and "完善司法社工项目评估体系。" in text
    assert "形成“三位一体”服务模式" in text
    assert iw.aw.project_b.name not in text  # not scored yet
    assert "2026年6月1日至2026年6月30日" in text


def test_the_project_report_shows_the_panel_and_its_score(scored):
    iw = scored
    text = text_of(render_project_report(iw.inspection_a))
    assert iw.aw.project_a.name + "督导巡查报告" in text
    assert "综合得分83.00分" in text and "极差6.00分" in text
    assert iw.inspectors[0].name + "（组长）" in text
    assert "建议：在劳动合同上注明工作项目及地点" in text
    assert "团队建设 | 20 | 20.00" in text


def test_downloads_are_word_files_and_audited_as_exports(client, login, scored):
    iw = scored
    login(client, iw.aw.admin)
    response = client.get(reverse("inspections:round-report", args=[iw.round.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "共2个项目" in text_of(response.content)
    client.get(reverse("inspections:project-report", args=[iw.inspection_a.pk]))
    exports = AuditEntry.objects.filter(action=Action.EXPORT, username=iw.aw.admin.username)
    assert {e.object_type for e in exports} == {"inspections.inspectionround", "inspections.projectinspection"}


def test_the_agency_gets_its_report_only_once_finalised(client, login, scored):
    iw = scored
    login(client, iw.aw.manager_a)
    url = reverse("inspections:project-report", args=[iw.inspection_a.pk])
    assert client.get(url).status_code == 404
    round_services.finalise_inspection(actor=iw.aw.admin_actor, inspection=iw.inspection_a)
    assert client.get(url).status_code == 200
    assert client.get(reverse("inspections:round-report", args=[iw.round.pk])).status_code == 404
