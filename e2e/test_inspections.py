"""Browser journey of a supervision inspection: an expert scores, the association reads the panel score
and downloads the project report."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def inspection(world: Any) -> Any:
    import datetime as dt

    from zhengtu.association.tests.builders import build_association_world
    from zhengtu.inspections.models import Specialty
    from zhengtu.inspections.services import experts, rounds
    from zhengtu.inspections.services.rubrics import create_standard_rubric

    aw = build_association_world(world)
    actor = aw.admin_actor
    rubric = create_standard_rubric(actor=actor, association=aw.association)
    expert = experts.create_expert(
        actor=actor,
        association=aw.association,
        name="周专家",
        specialty=Specialty.SOCIAL_WORK,
        user=aw.inspectors[0],
        title="教授",
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2028, 12, 31),
    )
    inspection_round = rounds.create_round(
        actor=actor,
        association=aw.association,
        title="2026年度督导巡查",
        rubric=rubric,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    [project_inspection] = rounds.add_projects(actor=actor, inspection_round=inspection_round, projects=[aw.project_a])
    panel = rounds.create_panel(actor=actor, inspection_round=inspection_round, name="第一组")
    rounds.add_panel_member(actor=actor, panel=panel, expert=expert, reason="熟悉该项目领域")
    rounds.assign_panel(actor=actor, inspection=project_inspection, panel=panel)
    rounds.start_round(actor=actor, inspection_round=inspection_round)
    return aw, project_inspection


def test_an_inspector_scores_and_the_association_downloads_the_report(
    browser: Any, live_server: Any, inspection: Any
) -> None:
    from docx import Document

    from zhengtu.inspections.models import Scoresheet

    aw, project_inspection = inspection
    expert_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(expert_context, live_server.url, aw.inspectors[0])
    page = expert_context.new_page()
    page.goto(f"{live_server.url}/inspections/")
    page.click(f"text={aw.project_a.name}")
    page.click("text=为该项目评分")
    inputs = page.locator("input[name^=indicator_]")
    count = inputs.count()
    assert count == 15
    for index in range(count):
        field = inputs.nth(index)
        field.fill(field.get_attribute("max") or "0")
    # Two points off the first indicator: the expert's total is 98.
    first = inputs.nth(0)
    first.fill(str(float(first.get_attribute("max") or "0") - 2))
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button[name=submit]")
    expect(page.locator("body")).to_contain_text("您的评分已提交")
    assert Scoresheet.objects.get().submitted_at is not None
    expert_context.close()

    admin_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    sign_in_with_session(admin_context, live_server.url, aw.admin)
    page = admin_context.new_page()
    page.goto(f"{live_server.url}/inspections/rounds/{project_inspection.round_id}/")
    assert "98.00" in page.locator("td.panel-score").inner_text()
    page.click(f"text={aw.project_a.name}")
    assert page.get_by_test_id("panel-score").inner_text() == "98.00"
    with page.expect_download() as download_info:
        page.click("text=下载项目巡查报告（Word）")
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    document = Document(str(download.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{aw.project_a.name}督导巡查报告" in text
    assert "综合得分98.00分" in text
    admin_context.close()
