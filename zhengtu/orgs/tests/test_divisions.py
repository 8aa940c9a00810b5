"""Administrative divisions: the vendored data, its loading, and walking the tree."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from zhengtu.orgs.divisions import (
    DivisionLevel,
    children_of,
    level_of,
    lineage,
    lineage_codes,
    load_divisions,
    read_vendored_divisions,
)
from zhengtu.orgs.models import Division


def test_levels_are_read_from_codes() -> None:
    assert level_of("430000") == DivisionLevel.PROVINCE
    assert level_of("431200") == DivisionLevel.PREFECTURE
    assert level_of("431224") == DivisionLevel.COUNTY
    assert level_of("431224100000") == DivisionLevel.TOWNSHIP
    assert level_of("431224100201") == DivisionLevel.VILLAGE
    with pytest.raises(ValueError):
        level_of("4312")
    assert lineage_codes("431224100000") == ["430000", "431200", "431224", "431224100000"]
    assert lineage_codes("441900003000") == ["440000", "441900", "441900003000"]  # 东莞: no county level


def test_vendored_data_covers_all_provinces_and_the_places_we_serve() -> None:
    records = read_vendored_divisions(depth=DivisionLevel.COUNTY)
    by_code = {r.code: r for r in records}
    provinces = [r for r in records if r.parent_code is None]
    assert len(provinces) == 31
    assert by_code["430000"].name == "湖南省"
    assert by_code["431200"].name == "怀化市" and by_code["431200"].parent_code == "430000"
    assert by_code["431224"].name == "溆浦县" and by_code["431224"].parent_code == "431200"
    guangzhou = {r.name for r in records if r.parent_code == "440100"}
    assert {
        "越秀区",
        "天河区",
        "海珠区",
        "荔湾区",
        "白云区",
        "黄埔区",
        "番禺区",
        "花都区",
        "南沙区",
        "从化区",
        "增城区",
    } <= guangzhou
    assert sum(1 for r in records if level_of(r.code) == DivisionLevel.PREFECTURE) > 330
    assert sum(1 for r in records if level_of(r.code) == DivisionLevel.COUNTY) > 2900
    assert all(r.parent_code in by_code for r in records if r.parent_code)


@pytest.mark.django_db
def test_loading_is_idempotent_and_names_are_complete() -> None:
    records = read_vendored_divisions(provinces=["11", "43", "44"])
    first = load_divisions(records)
    assert first.created == len(records) and first.updated == 0
    second = load_divisions(records)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(records))
    assert Division.objects.get(code="431224").full_name == "湖南省怀化市溆浦县"
    assert Division.objects.get(code="431224100000").full_name == "湖南省怀化市溆浦县卢峰镇"
    assert Division.objects.get(code="110101").full_name == "北京市东城区"  # not 北京市市辖区东城区
    assert Division.objects.get(code="441900").full_name == "广东省东莞市"
    assert Division.objects.get(code="441900003000").parent_id == "441900"


@pytest.mark.django_db
def test_loading_repairs_changed_rows_and_keeps_unknown_ones() -> None:
    records = read_vendored_divisions(provinces=["43"], depth=DivisionLevel.COUNTY)
    load_divisions(records)
    Division.objects.filter(code="431224").update(name="旧名", full_name="")
    Division.objects.create(code="439999", name="已撤销县", parent_id="430000")
    result = load_divisions(records)
    assert result.updated == 1
    assert Division.objects.get(code="431224").name == "溆浦县"
    assert Division.objects.filter(code="439999").exists()


@pytest.mark.django_db
def test_walking_the_tree() -> None:
    load_divisions(read_vendored_divisions(provinces=["43"], depth=DivisionLevel.COUNTY))
    assert [d.name for d in children_of(None)] == ["湖南省"]
    assert "溆浦县" in {d.name for d in children_of("431200")}
    assert [d.code for d in lineage("431224")] == ["430000", "431200", "431224"]
    assert lineage("not a code") == []


@pytest.mark.django_db
def test_command_loads_a_province_and_refuses_nonsense() -> None:
    out = io.StringIO()
    call_command("load_divisions", "--province", "43", "--depth", "county", stdout=out)
    assert "created" in out.getvalue()
    assert Division.objects.filter(code__startswith="43").count() == Division.objects.count() > 100
    call_command("load_divisions", "--province", "430000", "--depth", "county", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("load_divisions", "--province", "99")
    with pytest.raises(CommandError):
        call_command("load_divisions", "--province", "hunan")
